/**
 * The rate the generator achieved, second by second: requests actually sent (written to a connection)
 * against those that fell due in the same second. Below 99 % for more than a second, it says so once per
 * stretch, with the reason the caller finds (client CPU, connections, the cap).
 */
export class RateMeter {
  /** Requests sent in each full second of issuing (req/s). */
  readonly perSecond: number[] = [];
  /** Seconds below 99 % of what fell due. */
  shortSeconds = 0;
  /** Which seconds of `perSecond` those were (load workers' short seconds are joined by it). */
  readonly shortAt: number[] = [];
  #sent = 0;
  #dueAtStart = 0;
  #windowStart: number;
  #shortStreak = 0;

  constructor(now: number) {
    this.#windowStart = now;
  }

  /** One request went out. */
  sent(): void {
    this.#sent++;
  }

  /**
   * Closes the window once a second has passed. `due` is the schedule's count of requests due so far;
   * returns true when this second makes a stretch of more than a second below 99 % (warn now).
   */
  tick(now: number, due: number, issuing: boolean): boolean {
    const windowMs = now - this.#windowStart;
    if (windowMs < 1000) return false;
    const asked = due - this.#dueAtStart;
    const sent = this.#sent;
    this.#windowStart = now;
    this.#dueAtStart = due;
    this.#sent = 0;
    if (!issuing) {
      this.#shortStreak = 0;
      return false;
    }
    this.perSecond.push(Math.round((sent * 1000) / windowMs));
    const short = asked > 0 && sent < asked * 0.99;
    if (!short) {
      this.#shortStreak = 0;
      return false;
    }
    this.shortSeconds++;
    this.shortAt.push(this.perSecond.length - 1);
    return ++this.#shortStreak === 2;
  }
}
