import type { LedgerSummary } from '../../load/ledger-summary.ts';
import { fail, pass, type Verdict } from '../check.ts';

export interface LoadFigures extends LedgerSummary {
  /** the first few failures, to say what broke and when. */
  firstFailures: {
    t: number;
    consumer: string;
    replica: string;
    kind: string;
    status: number;
    failureClass: string;
    error: string;
  }[];
}

export interface ZeroDroppedEvidence {
  load: LoadFigures;
  minRequests: number;
  /** The phase's rollout (helm upgrade/rollback, or the local rolling update), ledger clock, ms. */
  window?: { start: number; end: number };
  /** When the load's first and last requests were due (ledger clock, ms). */
  sent?: { first: number; last: number };
}

/** zeroDroppedRequests's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeZeroDropped({ load, minRequests, window, sent }: ZeroDroppedEvidence): Verdict {
  const evidence = { ...load, minRequests, ...(window ? { window, sent } : {}) };
  if (load.failed > 0) {
    const classes = Object.entries(load.byClass)
      .filter(([, n]) => n > 0)
      .map(([c, n]) => `${n} ${c}`)
      .join(', ');
    const replicas = [...new Set(load.firstFailures.map((f) => f.replica).filter(Boolean))];
    const where = replicas.length > 0 ? `; first ones answered by ${replicas.join(', ')}` : '';
    return fail(`${load.failed} of ${load.total} requests failed (${classes})${where}`, evidence);
  }
  // Zero dropped means nothing about the part of the rollout no request was sent in (e.g. images loaded, or a
  // load started, only after the rollout began): the ledger must span the whole rollout window.
  if (window && (!sent || sent.first > window.start || sent.last < window.end)) {
    const span = sent ? `${Math.round(sent.first)}–${Math.round(sent.last)} ms` : 'nothing';
    return fail(
      `the ledger does not cover the rollout: requests were due ${span}, the rollout ran ${Math.round(window.start)}–${Math.round(window.end)} ms`,
      evidence,
    );
  }
  if (load.total < minRequests) {
    return fail(`only ${load.total} requests in the ledger; at least ${minRequests} are required`, evidence);
  }
  return pass(`${load.total} requests, ${load.served} served, ${load.refused} refused as expected, 0 failed`, evidence);
}
