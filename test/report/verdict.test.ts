/**
 * The verdict rule (DESIGN.md "Verdict and exit codes"): never a silent pass. A run that evaluated nothing, or
 * whose harness faulted, is inconclusive (exit 4), with the reasons; the certificate schema is @2.
 */

import { describe, expect, it } from 'vitest';
import { RunState } from '../../src/checks/run-state.ts';
import { resolveConfig } from '../../src/config/resolve.ts';
import { certificateOf } from '../../src/journey/report-step.ts';
import { loadPlatform } from '../../src/platform/profile.ts';
import { loadRelease } from '../../src/release/catalog.ts';
import { certificateSchema, exitCodeOfVerdict, verdictOf } from '../../src/report/certificate.ts';
import { targetProvider } from '../../src/targets/providers.ts';

type Check = Parameters<typeof verdictOf>[0][number];
const check = (status: Check['status'], id: Check['id'] = 'gateway-smoke'): Check => ({
  id,
  phase: 'upgrade',
  status,
  summary: `${status} summary`,
});

describe('verdictOf', () => {
  it('every selected check skipped or not-supported: inconclusive, saying so', () => {
    const v = verdictOf([check('skipped'), check('not-supported', 'console-sign-in')], []);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toBe('no selected check could be evaluated');
    expect(v.reasons).toContain('console-sign-in (upgrade) not-supported: not-supported summary');
    expect(exitCodeOfVerdict(v.verdict)).toBe(4);
  });

  it('no check at all: inconclusive, not passed', () => {
    expect(verdictOf([], []).verdict).toBe('inconclusive');
  });

  it('a harness fault makes even a run whose checks passed inconclusive, with the fault as the reason', () => {
    const v = verdictOf([check('passed')], [], [{ source: 'load-generator', reason: 'held 61 of 100 req/s' }]);
    expect(v).toEqual({ verdict: 'inconclusive', reasons: ['harness fault: load-generator: held 61 of 100 req/s'] });
  });

  it('a harness fault wins over a failed check (the fault may be what the check saw), both listed', () => {
    const v = verdictOf([check('failed')], [], [{ source: 'kube-tunnel', reason: 'port-forward lost' }]);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons).toEqual([
      'harness fault: kube-tunnel: port-forward lost',
      'gateway-smoke (upgrade) failed: failed summary',
    ]);
  });

  it('a failed check or step: failed; one passed check among skipped ones: passed', () => {
    expect(verdictOf([check('failed'), check('passed')], []).verdict).toBe('failed');
    expect(verdictOf([check('passed')], [{ step: 'install', error: 'boom' }]).reasons).toEqual([
      'step failed: install: boom',
    ]);
    expect(verdictOf([check('passed'), check('skipped', 'console-sign-in')], [])).toEqual({
      verdict: 'passed',
      reasons: [],
    });
    expect(exitCodeOfVerdict('passed')).toBe(0);
    expect(exitCodeOfVerdict('failed')).toBe(1);
  });
});

describe('run.harnessFault and certificate schema @2', () => {
  const newRun = () => {
    const config = resolveConfig({ flags: {} });
    const provider = targetProvider('local');
    return new RunState(
      config,
      loadRelease('v1.7.0'),
      loadRelease('v1.8.0'),
      'test-run',
      '/nonexistent',
      provider,
      loadPlatform('reference'),
    );
  };

  it('a recorded fault is in the certificate with its reason and time, on the timeline, and the verdict is inconclusive', () => {
    const run = newRun();
    run.results.push({ ...check('passed'), evidence: {} });
    expect(certificateOf(run).verdict).toBe('passed');
    run.harnessFault({ source: 'kube-tunnel', reason: 'port-forward to svc/gateway lost' });
    const cert = certificateSchema.parse(certificateOf(run));
    expect(cert.schema).toBe('upcert/certificate@2');
    expect(cert.verdict).toBe('inconclusive');
    expect(cert.harnessFaults).toEqual([
      { source: 'kube-tunnel', reason: 'port-forward to svc/gateway lost', atMs: expect.any(Number) },
    ]);
    expect(cert.verdictReasons).toEqual(['harness fault: kube-tunnel: port-forward to svc/gateway lost']);
    expect(run.timeline.events.at(-1)).toMatchObject({ kind: 'harness-fault', component: 'kube-tunnel' });
  });

  it('refuses an @1 certificate, an unknown verdict, and one without harnessFaults', () => {
    const cert = certificateOf(newRun());
    expect(certificateSchema.parse(cert).verdict).toBe('inconclusive');
    expect(certificateSchema.safeParse({ ...cert, schema: 'upcert/certificate@1' }).success).toBe(false);
    expect(certificateSchema.safeParse({ ...cert, verdict: 'unknown' }).success).toBe(false);
    const { harnessFaults: _h, ...withoutFaults } = cert;
    expect(certificateSchema.safeParse(withoutFaults).success).toBe(false);
  });
});
