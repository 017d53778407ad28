import type { LedgerSummary } from './ledger-summary.ts';

export type StopReason = 'stop' | 'max-requests' | 'max-duration';

export interface LoadStats {
  issued: number;
  inFlight: number;
  /** Due requests not sent because `maxInFlight` requests were in flight (open-loop rate only). */
  capHits: number;
  paused: boolean;
  /** Why issuing ended; null while it goes on. */
  stoppedBy: StopReason | null;
}

export interface LoadResult extends Omit<LoadStats, 'inFlight' | 'paused'> {
  stoppedBy: StopReason;
  /** Requests still in flight at the drain deadline, aborted and recorded as `timeout`. */
  abandoned: number;
  durationMs: number;
  /** The whole ledger's summary (a ledger may span several loads of one run). */
  summary: LedgerSummary;
}

export interface RunningLoad extends AsyncDisposable {
  /** Resolves when issuing ends: a bound was reached, or `stop()` was called. */
  readonly issuingEnded: Promise<StopReason>;
  stats(): LoadStats;
  /** Stops issuing until `resume()`; resolves true once nothing is in flight (false at the drain deadline). */
  pause(): Promise<boolean>;
  resume(): void;
  /** Stops issuing, waits for every in-flight request (aborting what outlives the drain deadline). */
  stop(): Promise<LoadResult>;
}
