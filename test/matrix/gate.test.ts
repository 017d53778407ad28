import { describe, expect, it } from 'vitest';
import { marginsSchema } from '../../src/config/schema.ts';
import { gateOf } from '../../src/matrix/gate.ts';
import type { Matrix, MatrixCell } from '../../src/matrix/matrix-schema.ts';
import { regressions } from '../../src/matrix/regression.ts';

const margins = marginsSchema.parse({});
const figures = { upgradeDurationMs: 20_000, rolloutOutageMs: 3000, rolloutP99Ms: 40, lostSpendWindowMs: 30_000 };

function cell(over: Partial<MatrixCell> = {}): MatrixCell {
  return {
    id: 'v1.8.0-v1.9.0.local.none.ha',
    path: ['v1.8.0', 'v1.9.0'],
    target: 'local',
    baseline: 'none',
    topology: 'ha',
    supported: true,
    runs: true,
    row: 'v1.8.0',
    column: 'local × no Kubernetes × ha',
    required: true,
    status: 'passed',
    cached: false,
    key: 'k',
    durationMs: 1,
    requests: 1,
    hops: [],
    failedChecks: [],
    problems: [],
    figures,
    timelines: [],
    record: null,
    ...over,
  };
}
const baselineOf = (cells: MatrixCell[]) => ({ cells }) as unknown as Matrix;

describe('--baseline regressions', () => {
  it('flags each figure beyond its margin, and nothing within it', () => {
    const within = cell({
      figures: { upgradeDurationMs: 24_999, rolloutOutageMs: 5000, rolloutP99Ms: 60, lostSpendWindowMs: 35_000 },
    });
    expect(regressions([within], baselineOf([cell()]), margins)).toEqual([]);
    const beyond = cell({
      figures: { upgradeDurationMs: 25_001, rolloutOutageMs: 5001, rolloutP99Ms: 61, lostSpendWindowMs: 35_001 },
    });
    expect(regressions([beyond], baselineOf([cell()]), margins).map((r) => [r.figure, r.limit])).toEqual([
      ['upgradeDurationMs', 25_000],
      ['rolloutOutageMs', 5000],
      ['rolloutP99Ms', 60],
      ['lostSpendWindowMs', 35_000],
    ]);
  });

  it('compares only with a baseline cell that passed, and a figure both have', () => {
    const worse = cell({ figures: { ...figures, upgradeDurationMs: 90_000, rolloutOutageMs: null } });
    expect(regressions([worse], baselineOf([cell({ status: 'failed' })]), margins)).toEqual([]);
    expect(
      regressions([worse], baselineOf([cell({ figures: { ...figures, upgradeDurationMs: null } })]), margins),
    ).toEqual([]);
  });
});

describe('the gate', () => {
  it('is 0 only when every required cell passed and nothing regressed', () => {
    expect(gateOf([cell(), cell({ required: false, status: 'failed' })], []).exitCode).toBe(0);
  });
  it('is 1 on a failed or missing required cell or a regression, 4 on an inconclusive one', () => {
    expect(gateOf([cell({ status: 'failed' })], []).exitCode).toBe(1);
    expect(gateOf([cell({ status: 'missing' })], []).exitCode).toBe(1);
    expect(gateOf([cell({ status: 'inconclusive' })], []).exitCode).toBe(4);
    expect(gateOf([cell({ status: 'inconclusive' }), cell({ status: 'failed' })], []).exitCode).toBe(1);
    const regression = { cell: 'x', figure: 'rolloutP99Ms' as const, baseline: 40, current: 90, limit: 60 };
    const gate = gateOf([cell()], [regression]);
    expect(gate.exitCode).toBe(1);
    expect(gate.reasons).toEqual(['x: rolloutP99Ms regressed: 90 > 60 (baseline 40 + margin)']);
  });
});

describe('the rollout-window p99 from ledger.csv', () => {
  it('reads latency from the intended start, by column name, inside upgrade-started → upgrade-complete', async () => {
    const { rolloutDurations } = await import('../../src/matrix/hop-files.ts');
    const { percentile } = await import('../../src/matrix/figures.ts');
    const csv = [
      'phase,intended_start_ms,start_ms,end_ms,duration_ms,latency_ms,consumer',
      'install,1500,1500,1510,10,10,a',
      'upgrade,999,999,1100,101,101,a',
      ...Array.from({ length: 99 }, (_, i) => `upgrade,${1000 + i},${1000 + i},${1020 + i},20,20,a`),
      'upgrade,1050,1400,1450,50,400,a',
      'upgrade,2001,2001,2002,1,1,a',
    ].join('\r\n');
    const events = [
      { t: 1000, kind: 'upgrade-started' },
      { t: 2000, kind: 'upgrade-complete' },
    ];
    const latencies = rolloutDurations(csv, events);
    expect(latencies).toHaveLength(100);
    expect(percentile(latencies, 99)).toBe(20);
    expect(percentile(latencies, 100)).toBe(400);
  });
});
