import type { BehindEpisode } from './lag-monitor.ts';
import type { LedgerSummary } from './ledger-summary.ts';

export type StopReason = 'stop' | 'max-requests' | 'max-duration';

export interface LoadStats {
  /** Requests taken from the schedule and handed to a connection (or recorded as never sent). */
  issued: number;
  inFlight: number;
  /** Requests due and not yet sent (the in-flight cap holds them; they go late, nothing is skipped). */
  backlog: number;
  /** Requests sent more than 20 ms after their intended start. */
  late: number;
  paused: boolean;
  /** Why issuing ended; null while it goes on. */
  stoppedBy: StopReason | null;
  /** Seconds in which the generator itself fell behind its schedule. */
  behind: number;
  /** Requests sent in the last full second (open loop; null before the first second or in the closed loop). */
  achievedPerSec: number | null;
}

export interface LoadResult {
  stoppedBy: StopReason;
  issued: number;
  late: number;
  /** Every second in which the generator itself fell behind, with the reason: the run cannot be judged on them. */
  behind: BehindEpisode[];
  /** Requests sent in each full second of issuing (open loop). */
  achievedPerSec: number[];
  /** Seconds in which fewer than 99 % of the requests due went out. */
  shortSeconds: number;
  /** Which seconds of `achievedPerSec` those were. */
  shortAt?: number[];
  /** Requests still in flight or unsent at the drain deadline, recorded as `timeout`. */
  abandoned: number;
  durationMs: number;
  /** The whole ledger's summary (a ledger may span several loads of one run). */
  summary: LedgerSummary;
  /** Load workers that failed or exited before the end (`load.workers` > 1): their share of the load is gone. */
  workerFailures?: string[];
}

export interface RunningLoad extends AsyncDisposable {
  /** Resolves when issuing ends: a bound was reached, or `stop()` was called. */
  readonly issuingEnded: Promise<StopReason>;
  stats(): LoadStats;
  /** Stops issuing until `resume()`; resolves true once nothing is in flight or due (false at the drain deadline). */
  pause(): Promise<boolean>;
  resume(): void;
  /**
   * Stops issuing, sends what was already due, waits for every in-flight request (aborting what outlives the
   * drain deadline: the load's own, or `drainMs`, e.g. short on an interrupt).
   */
  stop(opts?: { drainMs?: number }): Promise<LoadResult>;
}
