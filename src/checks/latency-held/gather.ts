import type { RolloutEvent } from '../../common/rollout-event.ts';
import type { LatencyHeldThresholds, LatencyStat } from '../../config/thresholds.ts';
import type { Ledger } from '../../load/ledger.ts';
import type { Phase } from '../../release/manifest.ts';
import { NotSupportedError } from '../check.ts';
import type { RunState } from '../run-state.ts';
import type { LatencyHeldEvidence } from './judge.ts';
import { type Span, throughputFigures, windowFigures } from './window-figures.ts';

export interface LatencyHeldInput {
  ledger: Ledger;
  /** the load's rows (rows after them are probes, not load). */
  rows: number;
  /** when the phase's rollout was started and ended (ledger clock). */
  rollout: { start: number; end?: number } | undefined;
  /** the phase's rollout events (the first one opens the rollout window). */
  events: readonly RolloutEvent[];
  /** without load in the rollout (a restore-required rollback): why. */
  withoutLoad?: string;
  settleMs: number;
  steadyMs: number;
  thresholds: LatencyHeldThresholds;
}

/** The least steady window that latency-held judges against (DESIGN.md, issue 10). */
export const minSteadyMs = 5000;

/**
 * latency-held's evidence: the steady window (the `steadyMs` of load before the rollout was started, after the
 * warm-up) and the rollout window (first rollout event to rollout complete plus the settle time), by the
 * requests' intended start; latency from the intended start.
 */
export function latencyHeldEvidence(input: LatencyHeldInput): LatencyHeldEvidence {
  const { ledger, rows, rollout, thresholds } = input;
  if (input.withoutLoad) throw new NotSupportedError(`no load through the rollout: ${input.withoutLoad}`);
  if (!rollout?.end) throw new Error('the rollout of this phase never completed or never started');
  if (input.steadyMs < minSteadyMs) {
    throw new NotSupportedError(
      `the steady window is ${input.steadyMs} ms; latency-held needs at least ${minSteadyMs}`,
    );
  }
  const firstEvent = input.events.filter((e) => e.component && e.t >= rollout.start).map((e) => e.t);
  const opened = firstEvent.length > 0 ? Math.min(...firstEvent) : rollout.start;
  const rolloutSpan: Span = { from: opened, to: rollout.end + input.settleMs };
  const steadySpan: Span = { from: rollout.start - input.steadyMs, to: rollout.start };
  const stats = thresholds.latency.map((t) => t.stat) as LatencyStat[];
  const steady = windowFigures(ledger, rows, steadySpan, stats);
  if (steady.requests === 0) throw new Error('no load request was meant to start in the steady window');
  const rolloutFigures = windowFigures(ledger, rows, rolloutSpan, stats);
  const throughput = [...new Set(thresholds.throughput.map((t) => t.windowMs))].map((w) =>
    throughputFigures(ledger, rows, rolloutSpan, w),
  );
  return { thresholds, steady, rollout: rolloutFigures, throughput, slowest: slowest(ledger, rows, rolloutSpan) };
}

/** latency-held's evidence of a phase: the phase's load rows (the probes after them aside). */
export async function gatherLatencyHeld(run: RunState, phase: Phase): Promise<LatencyHeldEvidence> {
  const { load, thresholds } = run.config;
  const ledger = run.ledger(phase);
  const restore = phase === 'rollback' && run.to.rollback === 'restore-required';
  return latencyHeldEvidence({
    ledger,
    rows: run.probes.get(phase)?.loadRows ?? ledger.size,
    rollout: run.rollouts.get(phase),
    events: run.timeline.events,
    ...(restore ? { withoutLoad: 'a restore-required rollback stops the load before it rolls back' } : {}),
    settleMs: load.settleSeconds * 1000,
    steadyMs: load.steadySeconds * 1000,
    thresholds: thresholds.latencyHeld,
  });
}

function slowest(ledger: Ledger, rows: number, span: Span, n = 5): LatencyHeldEvidence['slowest'] {
  const picked: number[] = [];
  for (let i = 0; i < rows; i++) {
    const t = ledger.intendedAt(i);
    if (t < span.from || t >= span.to) continue;
    picked.push(i);
    picked.sort((a, b) => ledger.latencyAt(b) - ledger.latencyAt(a));
    if (picked.length > n) picked.pop();
  }
  return picked.map((i) => {
    const row = ledger.row(i);
    const intended = ledger.intendedAt(i);
    return {
      intended,
      latencyMs: Math.round(ledger.latencyAt(i)),
      lateMs: Math.round(row.start - intended),
      replica: row.replica,
      kind: row.kind,
      outcome: row.failureClass ?? row.outcome,
    };
  });
}
