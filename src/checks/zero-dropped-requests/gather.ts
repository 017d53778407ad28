import type { Ledger } from '../../load/ledger.ts';
import type { Phase } from '../../release/manifest.ts';
import { phaseProbes } from '../evidence/phase-probes.ts';
import type { RunState } from '../run-state.ts';
import type { LoadFigures, ZeroDroppedEvidence } from './judge.ts';

/** The load's rows of the phase ledger (the probes sent after it aside), summarised with their first failures. */
export async function gatherLoad(run: RunState, phase: Phase): Promise<ZeroDroppedEvidence> {
  const rows = phaseProbes(run, phase).loadRows;
  return { load: ledgerFigures(run.ledger(phase), rows), minRequests: run.config.load.minRequests };
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
