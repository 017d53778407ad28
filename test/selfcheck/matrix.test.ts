import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/report/certificate.ts';
import { type SelfcheckCase, selfcheckCases } from '../../src/selfcheck/cases.ts';
import { judgeCase } from '../../src/selfcheck/matrix.ts';

const check = (id: string, phase: string, status: string, summary = status) =>
  ({ id, phase, status, summary, evidence: {} }) as Certificate['checks'][number];

function certificate(checks: Certificate['checks'], stepFailures: Certificate['stepFailures'] = []): Certificate {
  const failed = stepFailures.length > 0 || checks.some((c) => c.status === 'failed');
  return { checks, stepFailures, verdict: failed ? 'failed' : 'passed', load: undefined } as unknown as Certificate;
}

const defect: SelfcheckCase = {
  name: 'v1.7.0-gateway-no-drain',
  kind: 'defect',
  from: 'v1.7.0-gateway-no-drain',
  to: 'v1.8.0',
  defect: 'gateway-no-drain',
  role: 'from',
  expect: [{ check: 'zero-dropped-requests', phase: 'upgrade' }],
  collateral: [{ check: 'budgets-preserved', phase: 'upgrade' }],
};
const extra = { durationMs: 1, reportDir: '/tmp/x' };

describe('judgeCase', () => {
  it('a defect is caught when its expected check fails in its phase and nothing undeclared fails', () => {
    const r = judgeCase(
      defect,
      certificate([
        check('zero-dropped-requests', 'upgrade', 'failed', '53 of 2214 requests failed'),
        check('budgets-preserved', 'upgrade', 'failed'),
        check('zero-dropped-requests', 'rollback', 'passed'),
      ]),
      extra,
    );
    expect(r.ok).toBe(true);
    expect(r.cells.map((c) => c.outcome)).toEqual(['caught', 'collateral', 'passed']);
  });

  it('a defect escapes when its check passes, or fails only in another phase', () => {
    const r = judgeCase(
      defect,
      certificate([
        check('zero-dropped-requests', 'upgrade', 'passed'),
        check('zero-dropped-requests', 'rollback', 'failed'),
      ]),
      extra,
    );
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'escaped: zero-dropped-requests (upgrade) passed: passed',
      'undeclared failure: zero-dropped-requests (rollback): failed',
    ]);
  });

  it('a check that was not evaluated (the journey halted) neither catches nor counts as collateral', () => {
    const halted = 'not evaluated: upgrade under load, settle, stop the load failed';
    const r = judgeCase(
      defect,
      certificate([
        check('zero-dropped-requests', 'upgrade', 'failed', halted),
        check('rollback-clean', 'rollback', 'failed', halted),
      ]),
      extra,
    );
    expect(r.cells.map((c) => c.outcome)).toEqual(['escaped', 'not-evaluated']);
    expect(r.ok).toBe(false);
  });

  it('an expected check the run never reported is an escape', () => {
    const r = judgeCase(defect, certificate([check('release-pinned', 'install', 'passed')]), extra);
    expect(r.problems).toEqual(['escaped: zero-dropped-requests (upgrade) absent: the run did not report this check']);
  });

  it('a good pair must pass every check and step; no certificate is a failure', () => {
    const good: SelfcheckCase = { name: 'a→b', kind: 'good', from: 'a', to: 'b', expect: [], collateral: [] };
    const r = judgeCase(good, certificate([check('gateway-smoke', 'upgrade', 'failed', 'answered 502')]), extra);
    expect(r.problems).toEqual(['gateway-smoke (upgrade) failed: answered 502']);
    expect(judgeCase(good, undefined, { ...extra, error: 'timed out' }).problems).toEqual(['timed out']);
  });
});

describe('selfcheckCases', () => {
  it('runs the good pairs first, then every broken release with its pair on the side its role says', () => {
    const cases = selfcheckCases();
    expect(cases.slice(0, 2).map((c) => c.name)).toEqual(['v1.7.0→v1.8.0', 'v1.8.0→v1.9.0']);
    const defects = cases.filter((c) => c.kind === 'defect');
    expect(defects.length).toBeGreaterThanOrEqual(15);
    for (const c of defects) {
      expect(c.expect.length).toBeGreaterThan(0);
      expect(c.role === 'from' ? c.from : c.to).toBe(c.name);
    }
    const repeated = selfcheckCases({ repeat: 3 }).filter((c) => c.kind === 'good');
    expect(repeated.map((c) => c.name)).toContain('v1.8.0→v1.9.0#3');
  });

  it('runs each stress release once, after the good pairs, judged as a good pair', () => {
    const cases = selfcheckCases({ repeat: 3 });
    const stress = cases.filter((c) => c.kind === 'stress');
    expect(stress.map((c) => [c.name, c.from, c.to])).toEqual([
      ['v1.8.0-slow-migration', 'v1.7.0', 'v1.8.0-slow-migration'],
    ]);
    expect(cases.findIndex((c) => c.kind === 'stress')).toBe(6);
    expect(selfcheckCases({ only: ['stress'] }).map((c) => c.name)).toEqual(['v1.8.0-slow-migration']);
    const r = judgeCase(stress[0]!, certificate([check('latency-held', 'upgrade', 'failed', 'p99 6.1 s')]), extra);
    expect(r.problems).toEqual(['latency-held (upgrade) failed: p99 6.1 s']);
  });
});
