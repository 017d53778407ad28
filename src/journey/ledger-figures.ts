import type { LoadFigures } from '../checks/run.ts';
import type { Ledger } from '../load/ledger.ts';

/** The ledger's summary plus its first failures (what broke, and when). */
export function ledgerFigures(ledger: Ledger, firstN = 10): LoadFigures {
  const firstFailures: LoadFigures['firstFailures'] = [];
  for (let i = 0; i < ledger.size && firstFailures.length < firstN; i++) {
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
  return { ...ledger.summary(), firstFailures };
}
