/**
 * The run's one clock: epoch milliseconds with sub-millisecond resolution, monotonic within the process.
 * Anchored on `Date.now()` rather than `performance.timeOrigin`, which Node fixes imprecisely at start-up
 * (seen here 10-20 ms off the system clock), so that ledger rows, rollout events and timestamps written by
 * other processes on the same machine (PostgreSQL's `now()`) share one axis.
 */
let anchor = Date.now() - performance.now();

export function runClock(): number {
  return anchor + performance.now();
}

/**
 * The clock's anchor relative to this thread's time origin, to hand to a worker thread: each thread's
 * `performance.now()` counts from its own `performance.timeOrigin`, so the anchor moves by the difference.
 */
export function runClockAlignment(): number {
  return anchor - performance.timeOrigin;
}

/** In a worker thread: the run's clock, from the parent's `runClockAlignment()`. */
export function alignRunClock(alignment: number): void {
  anchor = alignment + performance.timeOrigin;
}
