import { createLogger } from '../common/logger.ts';
import { type BehindEpisode, LagMonitor } from './lag-monitor.ts';
import { RateClock } from './rate-clock.ts';
import type { StopReason } from './running-load.ts';

const log = createLogger('load');
/** A request taken this long after it fell due counts as sent late (the timer's own granularity is 5 ms). */
const lateMs = 20;

/**
 * Which requests are due, when each was meant to start, and how many have been taken: the load's
 * bookkeeping of the open model, bounded in count and time. `rate: 'max'` is the closed loop (every
 * request is due as soon as the in-flight cap lets it go; intended start = actual start).
 */
export class Schedule {
  readonly startedAt: number;
  readonly #clock: RateClock | null;
  readonly #maxRequests: number;
  readonly #maxDurationMs: number;
  readonly #monitor: LagMonitor;
  readonly #onBehind: (episode: BehindEpisode) => void;
  readonly behind: BehindEpisode[] = [];
  taken = 0;
  /** Requests taken more than `lateMs` after they fell due (the cap or the generator held them). */
  late = 0;
  stoppedBy: StopReason | null = null;
  #closedPaused = false;
  #dueLimit = Number.POSITIVE_INFINITY;
  #seen = 0;

  /**
   * `o.phaseMs`: this schedule's share of a rate split between load workers (`worker-load.ts`): its clock runs
   * that much ahead, so that the workers' requests interleave as one clock's would.
   */
  constructor(
    o: { rate: number | 'max'; maxRequests: number; maxDurationMs: number; maxLagMs: number; phaseMs?: number },
    now: number,
    onBehind: (episode: BehindEpisode) => void = () => {},
  ) {
    this.#onBehind = onBehind;
    this.startedAt = now;
    this.#clock = o.rate === 'max' ? null : new RateClock(o.rate, now - (o.phaseMs ?? 0));
    this.#maxRequests = o.maxRequests;
    this.#maxDurationMs = o.maxDurationMs;
    this.#monitor = new LagMonitor(o.maxLagMs, now);
  }

  get paused(): boolean {
    return this.#clock ? this.#clock.paused : this.#closedPaused;
  }

  get reachedMax(): boolean {
    return this.taken >= this.#maxRequests;
  }

  /** Called every few ms: watches the generator's own lateness; true once the time bound is reached. */
  tick(now: number): boolean {
    const issuing = this.issuing;
    if (issuing) {
      const due = this.#clock!.due(now);
      if (due > this.#seen) {
        this.#monitor.lag(now - this.#clock!.intendedAt(this.#seen));
        this.#seen = due;
      }
    }
    const episode = this.#monitor.tick(now, issuing);
    if (episode) {
      this.behind.push(episode);
      log.warn(`the generator fell behind its schedule: ${episode.reason}`);
      this.#onBehind(episode);
    }
    return this.stoppedBy === null && now - this.startedAt >= this.#maxDurationMs;
  }

  /** The generator's own last second: event-loop busy share and process CPU. */
  get own(): { busy: number; cpuCores: number } {
    return this.#monitor.last;
  }

  get issuing(): boolean {
    return this.stoppedBy === null && !this.paused && this.#clock !== null;
  }

  /** Requests due so far (open loop), within the bounds. */
  due(now: number): number {
    return this.#clock ? Math.min(this.#maxRequests, this.#dueLimit, this.#clock.due(this.#bounded(now))) : this.taken;
  }

  /** Requests due by `now` and not yet taken. */
  backlog(now: number): number {
    const bound = Math.min(this.#maxRequests, this.#dueLimit);
    if (this.#clock === null) return this.#closedPaused ? 0 : bound - this.taken;
    return Math.max(0, Math.min(bound, this.#clock.due(this.#bounded(now))) - this.taken);
  }

  /** Takes the next due request; returns its intended start. */
  take(now: number): number {
    const intended = this.#clock ? this.#clock.intendedAt(this.taken) : now;
    this.taken++;
    if (now - intended > lateMs) this.late++;
    return intended;
  }

  /** No request falls due after `now`; those already due are still sent. */
  end(reason: StopReason, now: number): void {
    this.stoppedBy = reason;
    this.#dueLimit = this.#clock ? this.#clock.due(this.#bounded(now)) : this.taken;
  }

  /** Nothing falls due past the time bound, even when the tick that ends issuing comes late. */
  #bounded(now: number): number {
    return Math.min(now, this.startedAt + this.#maxDurationMs);
  }

  /** Takes every request still due, for `each` to record as never sent. */
  giveUp(now: number, each: (intended: number) => void): void {
    while (this.backlog(now) > 0) each(this.take(now));
  }

  pause(now: number): void {
    if (this.#clock) this.#clock.pause(now);
    else this.#closedPaused = true;
  }

  resume(now: number): void {
    if (this.#clock) this.#clock.resume(now);
    else this.#closedPaused = false;
  }

  close(): void {
    this.#monitor.close();
  }
}
