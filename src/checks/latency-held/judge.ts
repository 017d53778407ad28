import type { Bound, LatencyHeldThresholds, LatencyThreshold } from '../../config/thresholds.ts';
import { fail, pass, type Verdict } from '../check.ts';
import type { ThroughputFigures, WindowFigures } from './window-figures.ts';

export interface LatencyHeldEvidence {
  thresholds: LatencyHeldThresholds;
  /** the steady window before the rollout (after the warm-up). */
  steady: WindowFigures;
  /** first rollout event to rollout complete plus the settle time. */
  rollout: WindowFigures;
  throughput: ThroughputFigures[];
  /** the slowest requests of the rollout window (what a reader looks at first). */
  slowest: { intended: number; latencyMs: number; lateMs: number; replica: string; kind: string; outcome: string }[];
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

function boundValue(bound: Bound, steady: number): { value: number; text: string } {
  if (bound.kind === 'ms') return { value: bound.ms, text: ms(bound.ms) };
  if (bound.kind === 'steady') {
    const value = bound.factor * steady;
    return { value, text: `${bound.factor}x steady ${ms(steady)} = ${ms(value)}` };
  }
  const parts = bound.of.map((b) => boundValue(b, steady));
  const value = Math.max(...parts.map((p) => p.value));
  return { value, text: `max(${parts.map((p) => p.text).join(', ')}) = ${ms(value)}` };
}

function latencyLine(t: LatencyThreshold, e: LatencyHeldEvidence): { ok: boolean; line: string } {
  const measured = e.rollout.stats[t.stat] ?? Number.NaN;
  const bound = boundValue(t.bound, e.steady.stats[t.stat] ?? Number.NaN);
  const ok = t.inclusive ? measured <= bound.value : measured < bound.value;
  return {
    ok,
    line: `${t.stat} ${ms(measured)} ${ok ? (t.inclusive ? '<=' : '<') : 'NOT <'} ${bound.text} ("${t.text}")`,
  };
}

function throughputLine(t: LatencyHeldThresholds['throughput'][number], e: LatencyHeldEvidence) {
  const f = e.throughput.find((x) => x.windowMs === t.windowMs);
  const worst = f?.worst;
  if (!f || !worst) return { ok: false, line: `no full ${ms(t.windowMs)} window in the rollout window ("${t.text}")` };
  const ratio = worst.served / worst.offered;
  const ok = t.inclusive ? ratio >= t.share : ratio > t.share;
  const at = `${((worst.from - e.rollout.from) / 1000).toFixed(1)} s into the rollout window`;
  const pct = `${Math.round(ratio * 100)}% (${worst.served} served of ${worst.offered} offered, ${at})`;
  return { ok, line: `worst ${ms(t.windowMs)} window ${pct} ${ok ? '>=' : 'NOT >='} ${t.share * 100}% ("${t.text}")` };
}

/**
 * latency-held's judge (pure): every latency threshold on the rollout window (relative ones against the
 * same statistic of the steady window) and every throughput threshold on its worst window. The summary
 * names each threshold with its measured value, failures first.
 */
export function judgeLatencyHeld(e: LatencyHeldEvidence): Verdict {
  const lines = [
    ...e.thresholds.latency.map((t) => latencyLine(t, e)),
    ...e.thresholds.throughput.map((t) => throughputLine(t, e)),
  ];
  const failed = lines.filter((l) => !l.ok);
  const windows =
    `rollout window ${((e.rollout.to - e.rollout.from) / 1000).toFixed(1)} s, ${e.rollout.requests} requests; ` +
    `steady ${((e.steady.to - e.steady.from) / 1000).toFixed(1)} s, ${e.steady.requests} requests, p(99) ${ms(e.steady.stats['p(99)'] ?? Number.NaN)}`;
  const evidence = { ...e, thresholds: [...e.thresholds.latency, ...e.thresholds.throughput].map((t) => t.text) };
  if (e.rollout.requests === 0)
    return fail(`no request was meant to start in the rollout window (${windows})`, evidence);
  if (failed.length > 0) {
    const slow = e.slowest[0];
    const worst = slow
      ? `; slowest ${ms(slow.latencyMs)} (${slow.kind}, ${slow.replica || 'no replica'}, ${slow.outcome})`
      : '';
    return fail(`${failed.map((l) => l.line).join('; ')}${worst} — ${windows}`, evidence);
  }
  return pass(`${lines.map((l) => l.line).join('; ')} — ${windows}`, evidence);
}
