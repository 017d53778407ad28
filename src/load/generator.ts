import { Pool } from 'undici';
import { createLogger, redact } from '../common/logger.ts';
import { DeadlineExceededError } from './classify.ts';
import { portStampingConnector } from './connection-port.ts';
import { type PreparedConsumer, prepareConsumer } from './consumers.ts';
import { Exchange, type ExchangeContext } from './exchange.ts';
import type { BehindEpisode } from './lag-monitor.ts';
import { MixPicker } from './mix.ts';
import { inFlightCap, type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from './options.ts';
import { RateMeter } from './rate-meter.ts';
import { whyShort } from './rate-shortfall.ts';
import type { LoadResult, LoadStats, RunningLoad, StopReason } from './running-load.ts';
import { Schedule } from './schedule.ts';
import { startWorkerLoad } from './worker-load.ts';

const log = createLogger('load');
const tickMs = 5;

/**
 * The open model (DESIGN.md "Load is an open model"): the schedule says which requests are due and when
 * each was meant to start; every due request is sent, late when the in-flight cap or the pool's
 * connections hold it back, and its latency counts from its intended start.
 */
class SyntheticLoad implements RunningLoad {
  readonly #o: ResolvedLoadOptions;
  readonly #ctx: ExchangeContext;
  readonly #consumers: PreparedConsumer[];
  readonly #picker: MixPicker;
  readonly #schedule: Schedule;
  readonly #cap: number;
  readonly #drainMs: number;
  readonly #inFlight = new Set<Exchange>();
  readonly #timer: NodeJS.Timeout;
  #idle: (() => void)[] = [];
  #stopping: Promise<LoadResult> | null = null;
  #endedWith: (reason: StopReason) => void = () => {};
  readonly issuingEnded = new Promise<StopReason>((resolve) => {
    this.#endedWith = resolve;
  });

  readonly #onFinished: (result: LoadResult) => void;

  constructor(o: ResolvedLoadOptions, hooks: Pick<LoadOptions, 'onBehind' | 'onFinished'> = {}) {
    this.#o = o;
    this.#onFinished = hooks.onFinished ?? (() => {});
    const url = new URL(o.gatewayUrl);
    // A connection's local port is read (one getsockname per connection) only where the target can tell which
    // replica a port was bound to; undici's own connector otherwise.
    const connect = o.attribute ? portStampingConnector(o.requestTimeoutMs) : { timeout: o.requestTimeoutMs };
    const common = { pipelining: 1, connect, headersTimeout: o.requestTimeoutMs };
    // Open loop: a user due while every connection is busy opens another (as a population of clients
    // would), up to the in-flight cap; `connections` bounds the pool only in the closed loop.
    const kept = o.rate === 'max' ? o.connections : Math.max(o.connections, inFlightCap(o));
    const pool = new Pool(url.origin, { ...common, connections: kept, bodyTimeout: o.requestTimeoutMs });
    const fresh = new Pool(url.origin, { ...common, connections: null, bodyTimeout: o.requestTimeoutMs });
    const server = { version: '', replica: '', id: 0 };
    this.#ctx = {
      ledger: o.ledger,
      pool,
      fresh,
      done: this.#done,
      server,
      // a load worker's schedule starts at the instant the run gave every worker (`worker-load.ts`)
      meter: new RateMeter(o.startAt ?? o.ledger.clock()),
      attribute: o.attribute,
    };
    const target = { origin: url.origin, path: `${url.pathname.replace(/\/$/, '')}/v1/chat/completions` };
    this.#consumers = o.consumers.map((c) => prepareConsumer(c, o.prices, target, o.ledger.consumers.id(c.consumer)));
    this.#picker = new MixPicker(o.mix);
    this.#cap = inFlightCap(o);
    this.#drainMs = o.drainTimeoutMs ?? o.requestTimeoutMs + 1000;
    this.#schedule = new Schedule(o, o.startAt ?? o.ledger.clock(), hooks.onBehind);
    this.#timer = setInterval(() => this.#tick(), tickMs);
    this.#tick();
  }

  #tick(): void {
    const now = this.#o.ledger.clock();
    if (this.#schedule.tick(now)) this.#endIssuing('max-duration');
    this.#pump(now);
    this.#expireOverdue(now);
    if (this.#ctx.meter.tick(now, this.#schedule.due(now), this.#schedule.issuing)) {
      log.warn(`load: below 99 % of the asked rate for more than a second: ${this.#whyShort(now)}`);
    }
  }

  /** Why the rate is not held (see rate-shortfall.ts). */
  #whyShort(now: number): string {
    return whyShort({
      sent: this.#ctx.meter.perSecond.at(-1) ?? 0,
      asked: this.#o.rate,
      inFlight: this.#inFlight.size,
      cap: this.#cap,
      backlog: this.#schedule.backlog(now),
      queued: this.#ctx.pool.stats.queued + this.#ctx.fresh.stats.queued,
      own: this.#schedule.own,
    });
  }

  #pump(now: number): void {
    const s = this.#schedule;
    while (s.backlog(now) > 0 && this.#inFlight.size < this.#cap) {
      const intended = s.take(now);
      const c = this.#consumers[(s.taken - 1) % this.#consumers.length]!;
      const exchange = new Exchange(this.#ctx, c, this.#picker.next(), intended, now);
      this.#inFlight.add(exchange);
      exchange.send();
    }
    if (s.reachedMax) this.#endIssuing('max-requests');
  }

  #expireOverdue(now: number): void {
    const limit = now - this.#o.requestTimeoutMs;
    // The set iterates in hand-off order, so the first request not yet overdue ends the sweep.
    for (const e of this.#inFlight) {
      if (e.handedAt > limit) break;
      e.expire(new DeadlineExceededError('request', this.#o.requestTimeoutMs));
    }
  }

  readonly #done = (exchange: Exchange): void => {
    this.#inFlight.delete(exchange);
    const now = this.#o.ledger.clock();
    if (this.#schedule.backlog(now) > 0) this.#pump(now);
    if (this.#isIdle()) for (const wake of this.#idle.splice(0)) wake();
  };

  #isIdle(): boolean {
    return this.#inFlight.size === 0 && this.#schedule.backlog(this.#o.ledger.clock()) === 0;
  }

  #endIssuing(reason: StopReason): void {
    if (this.#schedule.stoppedBy !== null) return;
    this.#schedule.end(reason, this.#o.ledger.clock());
    this.#endedWith(reason);
    log.info('load stopped issuing', { reason, ...this.stats() });
  }

  #waitIdle(ms: number): Promise<boolean> {
    if (this.#isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.#isIdle()), ms);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  stats(): LoadStats {
    const s = this.#schedule;
    const now = this.#o.ledger.clock();
    return {
      issued: s.taken,
      inFlight: this.#inFlight.size,
      backlog: s.backlog(now),
      late: s.late,
      paused: s.paused,
      stoppedBy: s.stoppedBy,
      behind: s.behind.length,
      achievedPerSec: this.#ctx.meter.perSecond.at(-1) ?? null,
    };
  }

  pause(): Promise<boolean> {
    this.#schedule.pause(this.#o.ledger.clock());
    log.info('load paused', { inFlight: this.#inFlight.size });
    return this.#waitIdle(this.#drainMs);
  }

  resume(): void {
    this.#schedule.resume(this.#o.ledger.clock());
    log.info('load resumed');
  }

  stop(opts: { drainMs?: number } = {}): Promise<LoadResult> {
    this.#stopping ??= this.#stop(opts.drainMs ?? this.#drainMs);
    return this.#stopping;
  }

  async #stop(drainMs: number): Promise<LoadResult> {
    this.#endIssuing('stop');
    let abandoned = 0;
    if (!(await this.#waitIdle(drainMs))) {
      const now = this.#o.ledger.clock();
      const unsent = this.#schedule.backlog(now);
      abandoned = this.#inFlight.size + unsent;
      log.warn('load: requests outlived the drain deadline; aborting them', {
        abandoned,
        unsent,
        drainMs,
      });
      const deadline = new DeadlineExceededError('stop', drainMs);
      this.#schedule.giveUp(now, (intended) => {
        const c = this.#consumers[(this.#schedule.taken - 1) % this.#consumers.length]!;
        new Exchange(this.#ctx, c, this.#picker.next(), intended, now).expire(deadline);
      });
      for (const e of this.#inFlight) e.expire(deadline);
      await this.#waitIdle(5000);
    }
    clearInterval(this.#timer);
    this.#schedule.close();
    await Promise.all([this.#ctx.pool.destroy(), this.#ctx.fresh.destroy()]).catch(() => {});
    const { issued, late } = this.stats();
    const { perSecond: achievedPerSec, shortSeconds, shortAt } = this.#ctx.meter;
    const behind: BehindEpisode[] = this.#schedule.behind;
    const durationMs = this.#o.ledger.clock() - this.#schedule.startedAt;
    const result = {
      stoppedBy: this.#schedule.stoppedBy!,
      issued,
      late,
      behind,
      achievedPerSec,
      shortSeconds,
      shortAt,
      abandoned,
      durationMs,
      summary: this.#o.ledger.summary(),
    };
    log.info('load finished', { ...result, behind: behind.length, achievedPerSec: achievedPerSec.length });
    this.#onFinished(result);
    return result;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Starts synthetic gateway traffic (bounded in count and time); every request becomes a ledger row. */
export function startLoad(options: LoadOptions): RunningLoad {
  const o = resolveLoadOptions(options);
  for (const c of o.consumers) redact(c.key);
  const { ledger: _ledger, consumers, prices: _prices, ...shown } = o;
  log.info('load starting', {
    ...shown,
    inFlightCap: inFlightCap(o),
    consumers: consumers.map((c) => `${c.consumer}→${c.expect}`),
  });
  if (o.workers > 1) return startWorkerLoad(o, options);
  return new SyntheticLoad(o, options);
}
