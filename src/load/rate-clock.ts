/**
 * The open-loop schedule: how many requests are due after the active (unpaused) time so far.
 * Paused time does not count, so resuming does not send a burst to catch up.
 */
export class RateClock {
  readonly #rate: number;
  #activeBefore = 0;
  #resumedAt: number | null;

  constructor(rate: number, now: number) {
    this.#rate = rate;
    this.#resumedAt = now;
  }

  get paused(): boolean {
    return this.#resumedAt === null;
  }

  activeMs(now: number): number {
    return this.#activeBefore + (this.#resumedAt === null ? 0 : now - this.#resumedAt);
  }

  /** Requests due since the start (Infinity for an unbounded rate). */
  due(now: number): number {
    return this.#rate === Number.POSITIVE_INFINITY ? this.#rate : Math.floor((this.activeMs(now) * this.#rate) / 1000);
  }

  pause(now: number): void {
    if (this.#resumedAt === null) return;
    this.#activeBefore += now - this.#resumedAt;
    this.#resumedAt = null;
  }

  resume(now: number): void {
    if (this.#resumedAt === null) this.#resumedAt = now;
  }
}
