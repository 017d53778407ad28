/**
 * The open-loop schedule: request k (0-based) is due once the active (unpaused) time reaches
 * (k + 1) / rate seconds, and `intendedAt(k)` is that moment on the wall clock: the start a user
 * arriving at the rate would have had, whatever happened to the requests before. Paused time does not
 * count, so resuming does not send a burst to catch up.
 */
export class RateClock {
  readonly #rate: number;
  #activeBefore = 0;
  #resumedAt: number | null;
  /** Active time at each (re)start and the wall time it happened; a few entries (one per resume). */
  readonly #segments: { active: number; wall: number }[];

  constructor(rate: number, now: number) {
    this.#rate = rate;
    this.#resumedAt = now;
    this.#segments = [{ active: 0, wall: now }];
  }

  get rate(): number {
    return this.#rate;
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

  /** The wall time at which request `k` became due (finite rates only). */
  intendedAt(k: number): number {
    const active = ((k + 1) * 1000) / this.#rate;
    let s = this.#segments.length - 1;
    while (s > 0 && this.#segments[s]!.active > active) s--;
    const seg = this.#segments[s]!;
    return seg.wall + (active - seg.active);
  }

  pause(now: number): void {
    if (this.#resumedAt === null) return;
    this.#activeBefore += now - this.#resumedAt;
    this.#resumedAt = null;
  }

  resume(now: number): void {
    if (this.#resumedAt !== null) return;
    this.#resumedAt = now;
    this.#segments.push({ active: this.#activeBefore, wall: now });
  }
}
