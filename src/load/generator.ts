import { Pool } from 'undici';
import { createLogger, redact } from '../common/logger.ts';
import { DeadlineExceededError } from './classify.ts';
import { type PreparedConsumer, prepareConsumer } from './consumers.ts';
import { MixPicker } from './mix.ts';
import { type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from './options.ts';
import { RateClock } from './rate-clock.ts';
import { type RequestContext, runRequest } from './request.ts';
import type { LoadResult, LoadStats, RunningLoad, StopReason } from './running-load.ts';

const log = createLogger('load');

class SyntheticLoad implements RunningLoad {
  readonly #o: ResolvedLoadOptions;
  readonly #ctx: RequestContext;
  readonly #pool: Pool;
  readonly #consumers: PreparedConsumer[];
  readonly #picker: MixPicker;
  readonly #clock: RateClock;
  readonly #cap: number;
  readonly #drainMs: number;
  readonly #t0 = performance.now();
  readonly #timer: NodeJS.Timeout;
  #issued = 0;
  #slots = 0;
  #capHits = 0;
  #active = 0;
  #stoppedBy: StopReason | null = null;
  #idle: (() => void)[] = [];
  #stopping: Promise<LoadResult> | null = null;
  #endedWith: (reason: StopReason) => void = () => {};
  readonly issuingEnded = new Promise<StopReason>((resolve) => {
    this.#endedWith = resolve;
  });

  constructor(o: ResolvedLoadOptions) {
    this.#o = o;
    const url = new URL(o.gatewayUrl);
    const timeouts = { headersTimeout: o.requestTimeoutMs, bodyTimeout: o.requestTimeoutMs };
    this.#pool = new Pool(url.origin, {
      connections: o.connections,
      pipelining: 1,
      connectTimeout: o.requestTimeoutMs,
      ...timeouts,
    });
    const path = `${url.pathname.replace(/\/$/, '')}/v1/chat/completions`;
    this.#ctx = {
      ledger: o.ledger,
      pool: this.#pool,
      origin: url.origin,
      path,
      timeoutMs: o.requestTimeoutMs,
      inFlight: new Set(),
    };
    this.#consumers = o.consumers.map((c) => prepareConsumer(c, o.prices));
    this.#picker = new MixPicker(o.mix);
    this.#clock = new RateClock(o.rate === 'max' ? Number.POSITIVE_INFINITY : o.rate, this.#t0);
    this.#cap = o.maxInFlight ?? o.connections * 4;
    this.#drainMs = o.drainTimeoutMs ?? o.requestTimeoutMs + 1000;
    this.#timer = setInterval(() => this.#tick(), 5);
    this.#tick();
  }

  #tick(): void {
    const now = performance.now();
    if (now - this.#t0 >= this.#o.maxDurationMs) this.#endIssuing('max-duration');
    else this.#pump(now);
  }

  #pump(now: number): void {
    if (this.#stoppedBy !== null || this.#clock.paused) return;
    const due = this.#clock.due(now);
    const max = this.#o.maxRequests;
    while (this.#slots < due && this.#active < this.#cap && this.#issued < max) {
      this.#slots++;
      this.#issue();
    }
    if (this.#issued >= max) this.#endIssuing('max-requests');
    else if (this.#slots < due && Number.isFinite(due)) {
      this.#capHits += due - this.#slots;
      this.#slots = due;
    }
  }

  #issue(): void {
    const consumer = this.#consumers[this.#issued % this.#consumers.length]!;
    this.#issued++;
    this.#active++;
    runRequest(this.#ctx, consumer, this.#picker.next()).then(this.#done, (error: unknown) => {
      log.error('request bookkeeping failed', { error: String(error) });
      this.#done();
    });
  }

  readonly #done = (): void => {
    this.#active--;
    if (this.#active === 0) for (const wake of this.#idle.splice(0)) wake();
    if (this.#o.rate === 'max') this.#pump(performance.now());
  };

  #endIssuing(reason: StopReason): void {
    if (this.#stoppedBy !== null) return;
    this.#stoppedBy = reason;
    clearInterval(this.#timer);
    this.#endedWith(reason);
    log.info('load stopped issuing', { reason, issued: this.#issued, inFlight: this.#active });
  }

  #waitIdle(ms: number): Promise<boolean> {
    if (this.#active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.#active === 0), ms);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  stats(): LoadStats {
    const paused = this.#clock.paused;
    return { issued: this.#issued, capHits: this.#capHits, inFlight: this.#active, paused, stoppedBy: this.#stoppedBy };
  }

  pause(): Promise<boolean> {
    this.#clock.pause(performance.now());
    log.info('load paused', { inFlight: this.#active });
    return this.#waitIdle(this.#drainMs);
  }

  resume(): void {
    this.#clock.resume(performance.now());
    log.info('load resumed');
  }

  stop(): Promise<LoadResult> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<LoadResult> {
    this.#endIssuing('stop');
    let abandoned = 0;
    if (!(await this.#waitIdle(this.#drainMs))) {
      abandoned = this.#ctx.inFlight.size;
      log.warn('load: in-flight requests outlived the drain deadline; aborting them', {
        abandoned,
        drainMs: this.#drainMs,
      });
      for (const c of this.#ctx.inFlight) c.abort(new DeadlineExceededError('stop', this.#drainMs));
      await this.#waitIdle(5000);
    }
    await this.#pool.destroy().catch(() => {});
    const { issued, capHits } = this.stats();
    const durationMs = performance.now() - this.#t0;
    const result = {
      stoppedBy: this.#stoppedBy!,
      issued,
      capHits,
      abandoned,
      durationMs,
      summary: this.#o.ledger.summary(),
    };
    log.info('load finished', { ...result });
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
  log.info('load starting', { ...shown, consumers: consumers.map((c) => `${c.consumer}→${c.expect}`) });
  return new SyntheticLoad(o);
}
