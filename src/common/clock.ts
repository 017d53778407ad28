/**
 * The run's one clock: epoch milliseconds with sub-millisecond resolution, monotonic within the process.
 * Anchored on `Date.now()` rather than `performance.timeOrigin`, which Node fixes imprecisely at start-up
 * (seen here 10-20 ms off the system clock), so that ledger rows, rollout events and timestamps written by
 * other processes on the same machine (PostgreSQL's `now()`) share one axis.
 */
const anchor = Date.now() - performance.now();

export function runClock(): number {
  return anchor + performance.now();
}
