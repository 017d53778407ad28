import type { Ledger } from '../../load/ledger.ts';
import type { Phase } from '../../release/manifest.ts';
import { phaseProbes } from '../evidence/phase-probes.ts';
import type { RunState } from '../run-state.ts';
import type { LoadFigures, ZeroDroppedEvidence } from './judge.ts';

/** The load's rows of the phase ledger (the probes sent after it aside), summarised with their first failures. */
export async function gatherLoad(run: RunState, phase: Phase): Promise<ZeroDroppedEvidence> {
  const rows = phaseProbes(run, phase).loadRows;
  const ledger = run.ledger(phase);
  // a restore-required rollback stops the load on purpose (DESIGN.md "Phases"): only rollouts under load count
  const underLoad = !(phase === 'rollback' && run.to.rollback === 'restore-required');
  const rollout = underLoad ? run.rollouts.get(phase) : undefined;
  return {
    load: ledgerFigures(ledger, rows),
    minRequests: run.config.load.minRequests,
    ...(rollout
      ? { window: { start: rollout.start, end: rollout.end ?? rollout.start }, sent: sentSpan(ledger, rows) }
      : {}),
  };
}

/** When the load's first and last requests were due (intended start, ledger clock); undefined when none. */
export function sentSpan(ledger: Ledger, rows = ledger.size): { first: number; last: number } | undefined {
  if (rows === 0) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows; i++) {
    const t = ledger.intendedAt(i);
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

/** The summary of the ledger's first `rows` rows plus their first failures (what broke, and when). */
export function ledgerFigures(ledger: Ledger, rows = ledger.size, firstN = 10): LoadFigures {
  const firstFailures: LoadFigures['firstFailures'] = [];
  for (let i = 0; i < rows && firstFailures.length < firstN; i++) {
    const row = ledger.row(i);
    if (row.outcome !== 'failed') continue;
    firstFailures.push({
      t: row.start,
      consumer: row.consumer,
      replica: row.replica,
      kind: row.kind,
      status: row.status,
      failureClass: row.failureClass ?? '',
      error: row.error,
    });
  }
  return { ...ledger.summary(rows), firstFailures };
}
