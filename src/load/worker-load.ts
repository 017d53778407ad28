/**
 * The load on several cores (`load.workers` > 1): one generator per worker thread, each with its share of the
 * load: request j of the one rate clock goes to worker j mod N (each worker's clock runs at rate / N, offset
 * by its place: `phaseMs`), so the sum is the asked rate and the intended starts interleave as one clock's
 * would; the connections, the in-flight cap and the request count are split the same way. Each worker keeps a
 * ledger of its own and hands it over every 100 ms (`ledger-shard.ts`), so the run's ledger fills as the
 * requests end, as with one generator, and the rows live in one place at a time. A worker that dies is a
 * harness error: its share of the load is gone, and `stop()` says so.
 */
import { Worker } from 'node:worker_threads';
import { runClockAlignment } from '../common/clock.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger, logLevel, writeLogLine } from '../common/logger.ts';
import type { BehindEpisode } from './lag-monitor.ts';
import { ShardMerger } from './ledger-shard.ts';
import { inFlightCap, type LoadOptions, type ResolvedLoadOptions } from './options.ts';
import type { LoadResult, LoadStats, RunningLoad, StopReason } from './running-load.ts';
import { localPortIn, type ToRun, type ToWorker, type WorkerInit, type WorkerLoadOptions } from './worker-messages.ts';

const log = createLogger('load');
/** How long a worker thread may take to load (tsx's loader and the generator, from source): then it is failed. */
const workerStartMs = 30_000;
/** The workers start this far ahead of the instant the last said it was ready: the start message's way there. */
const startAheadMs = 20;
/** Beyond its drain deadline, how long a worker may take to hand over its last rows before it is stopped. */
const workerAnswerMs = 10_000;

/** The worker's script: the CLI bundle's `load-worker.mjs` beside this chunk, or the sources through tsx. */
function workerScript(): { file: URL; module?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { file: new URL('./load-worker.mjs', here) };
  return { file: new URL('./worker-entry.mjs', here), module: new URL('./load-worker.ts', here).href };
}

/** Worker k's share of `total` when item j goes to worker j mod n. */
export const shareOf = (total: number, k: number, n: number): number => Math.ceil((total - k) / n);

/** What worker k of n is given. */
export function workerOptions(o: ResolvedLoadOptions, k: number, n: number): WorkerLoadOptions {
  const rate = o.rate === 'max' ? 'max' : o.rate / n;
  return {
    gatewayUrl: o.gatewayUrl,
    consumers: o.consumers,
    rate,
    mix: o.mix,
    maxDurationMs: o.maxDurationMs,
    maxRequests: shareOf(o.maxRequests, k, n),
    requestTimeoutMs: o.requestTimeoutMs,
    prices: o.prices,
    connections: shareOf(o.connections, k, n),
    maxInFlight: shareOf(inFlightCap(o), k, n),
    maxLagMs: o.maxLagMs,
    ...(o.drainTimeoutMs !== undefined ? { drainTimeoutMs: o.drainTimeoutMs } : {}),
    // request j of the one clock is due at (j + 1) / rate; worker k's i-th is j = i n + k: its clock starts
    // (n - 1 - k) / rate earlier than the run's
    ...(o.rate === 'max' ? {} : { phaseMs: ((n - 1 - k) * 1000) / o.rate }),
  };
}

interface Member {
  worker: Worker;
  ready: boolean;
  stats: LoadStats | null;
  issuing: StopReason | null;
  result?: Omit<LoadResult, 'summary'>;
  finished: Promise<void>;
  paused?: (idle: boolean) => void;
  error?: Error;
}

class WorkerLoad implements RunningLoad {
  readonly #o: ResolvedLoadOptions;
  readonly #members: Member[] = [];
  readonly #hooks: Pick<LoadOptions, 'onBehind' | 'onFinished'>;
  readonly #startedAt: number;
  #stopping: Promise<LoadResult> | null = null;
  /** Resolves once every worker started (or died): messages wait for it, so none reaches a worker unstarted. */
  readonly #started: Promise<void>;
  #allReady: () => void = () => {};
  #ended: (reason: StopReason) => void = () => {};
  readonly issuingEnded = new Promise<StopReason>((resolve) => {
    this.#ended = resolve;
  });

  constructor(o: ResolvedLoadOptions, hooks: Pick<LoadOptions, 'onBehind' | 'onFinished'>) {
    this.#o = o;
    this.#hooks = hooks;
    this.#startedAt = o.ledger.clock();
    this.#started = new Promise<void>((resolve) => {
      this.#allReady = resolve;
    });
    const startDeadline = setTimeout(() => {
      for (const m of this.#members) if (!m.ready) void m.worker.terminate();
    }, workerStartMs);
    void this.#started.then(() => clearTimeout(startDeadline));
    const script = workerScript();
    const n = o.workers;
    for (let k = 0; k < n; k++) {
      const init: WorkerInit = {
        options: workerOptions(o, k, n),
        clockAlignment: runClockAlignment(),
        logLevel: logLevel(),
        attribute: o.attribute !== undefined,
      };
      const worker = new Worker(script.file, {
        workerData: { ...init, module: script.module },
      });
      // a replica the worker could not name is its connection's local port: asked of the target row by row
      const merger = new ShardMerger(o.ledger, (replica) => {
        const port = localPortIn(replica);
        return port === undefined ? undefined : (o.attribute?.(port) ?? '');
      });
      let done: () => void = () => {};
      const member: Member = {
        worker,
        ready: false,
        stats: null,
        issuing: null,
        finished: new Promise<void>((resolve) => {
          done = resolve;
        }),
      };
      worker.on('message', (m: ToRun) => {
        if ('chunk' in m && m.chunk) merger.append(m.chunk);
        if (m.type === 'ready') this.#ready(member);
        else if (m.type === 'chunk') member.stats = m.stats;
        else if (m.type === 'log') writeLogLine(m.line);
        else if (m.type === 'behind') this.#hooks.onBehind?.(m.episode);
        else if (m.type === 'issuing-ended') this.#issuingEnded(member, m.reason);
        else if (m.type === 'paused') {
          member.stats = m.stats;
          member.paused?.(m.idle);
        } else if (m.type === 'finished') {
          member.stats = m.stats;
          member.result = m.result;
          // its last rows came with this message: nothing of it is needed any more
          void worker.terminate();
        }
      });
      worker.on('error', (error) => {
        member.error = error;
        log.error(`load worker ${k + 1} of ${n} failed: ${error.message}`);
      });
      worker.on('exit', () => {
        if (!member.result && !member.error)
          member.error = new Error(
            `load worker ${k + 1} of ${n} exited early${member.ready ? '' : ` (not started within ${workerStartMs} ms)`}`,
          );
        this.#ready(member);
        this.#issuingEnded(member, 'stop');
        member.paused?.(false);
        done();
      });
      this.#members.push(member);
    }
    log.info(`load on ${n} worker threads`, { rate: o.rate, connections: o.connections });
  }

  /** Once every worker is ready (or gone), all start at one instant a little ahead on the run's clock. */
  #ready(member: Member): void {
    member.ready = true;
    if (this.#members.length < this.#o.workers || this.#members.some((m) => !m.ready)) return;
    const at = this.#o.ledger.clock() + startAheadMs;
    for (const m of this.#members) if (!m.error) m.worker.postMessage({ type: 'start', at } satisfies ToWorker);
    this.#allReady();
  }

  #issuingEnded(member: Member, reason: StopReason): void {
    member.issuing ??= reason;
    // the load's issuing ends once every worker's has (they share the bounds: within a request interval of
    // each other), for the first bound one of them reached
    if (this.#members.length < this.#o.workers || this.#members.some((m) => m.issuing === null)) return;
    this.#ended(this.#members.find((m) => m.issuing !== 'stop')?.issuing ?? 'stop');
  }

  /** To every live worker, once all started. */
  async #send(message: ToWorker): Promise<void> {
    await this.#started;
    for (const m of this.#members) if (!m.result && !m.error) m.worker.postMessage(message);
  }

  stats(): LoadStats {
    const all = this.#members.map((m) => m.stats).filter((s): s is LoadStats => s !== null);
    const sum = (f: (s: LoadStats) => number) => all.reduce((t, s) => t + f(s), 0);
    const rates = all.map((s) => s.achievedPerSec).filter((r): r is number => r !== null);
    return {
      issued: sum((s) => s.issued),
      inFlight: sum((s) => s.inFlight),
      backlog: sum((s) => s.backlog),
      late: sum((s) => s.late),
      paused: all.some((s) => s.paused),
      stoppedBy: this.#members.every((m) => m.issuing !== null)
        ? (this.#members.find((m) => m.issuing !== 'stop')?.issuing ?? 'stop')
        : null,
      behind: sum((s) => s.behind),
      achievedPerSec: rates.length === all.length && rates.length > 0 ? rates.reduce((a, b) => a + b, 0) : null,
    };
  }

  async pause(): Promise<boolean> {
    const answers = this.#members.map(
      (m) =>
        new Promise<boolean>((resolve) => {
          if (m.result || m.error) return resolve(true);
          m.paused = resolve;
        }),
    );
    await this.#send({ type: 'pause' });
    return (await Promise.all(answers)).every(Boolean);
  }

  resume(): void {
    void this.#send({ type: 'resume' });
  }

  stop(opts: { drainMs?: number } = {}): Promise<LoadResult> {
    this.#stopping ??= this.#stop(opts.drainMs);
    return this.#stopping;
  }

  async #stop(drainMs: number | undefined): Promise<LoadResult> {
    await this.#send({ type: 'stop', ...(drainMs !== undefined ? { drainMs } : {}) });
    // every worker answers within its drain deadline; one that does not is stopped
    const deadline = (drainMs ?? this.#o.drainTimeoutMs ?? this.#o.requestTimeoutMs + 1000) + workerAnswerMs;
    const timer = setTimeout(() => {
      for (const m of this.#members) if (!m.result) void m.worker.terminate();
    }, deadline);
    await Promise.all(this.#members.map((m) => m.finished));
    clearTimeout(timer);
    const results = this.#members.map((m) => m.result).filter((r) => r !== undefined);
    const failed = this.#members.filter((m) => m.error).map((m) => m.error!.message);
    if (failed.length > 0) log.error(`load: ${failed.length} worker(s) failed: ${failed.join('; ')}`);
    const seconds = Math.max(0, ...results.map((r) => r.achievedPerSec.length));
    const achievedPerSec = Array.from({ length: seconds }, (_, i) =>
      results.reduce((t, r) => t + (r.achievedPerSec[i] ?? 0), 0),
    );
    // a second is short when any worker's share of it was (each compares what it sent with what fell due to it)
    const shortAt = [...new Set(results.flatMap((r) => r.shortAt ?? []))].sort((a, b) => a - b);
    const behind: BehindEpisode[] = results.flatMap((r) => r.behind);
    const result: LoadResult = {
      stoppedBy: results.find((r) => r.stoppedBy !== 'stop')?.stoppedBy ?? 'stop',
      issued: results.reduce((t, r) => t + r.issued, 0),
      late: results.reduce((t, r) => t + r.late, 0),
      behind,
      achievedPerSec,
      shortSeconds: shortAt.length,
      shortAt,
      abandoned: results.reduce((t, r) => t + r.abandoned, 0),
      durationMs: this.#o.ledger.clock() - this.#startedAt,
      summary: this.#o.ledger.summary(),
      ...(failed.length > 0 ? { workerFailures: failed } : {}),
    };
    log.info('load finished', { workers: this.#members.length, issued: result.issued, seconds });
    this.#hooks.onFinished?.(result);
    return result;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export function startWorkerLoad(
  o: ResolvedLoadOptions,
  hooks: Pick<LoadOptions, 'onBehind' | 'onFinished'>,
): RunningLoad {
  // every worker needs at least one of each: a smaller bound cannot be split without going over it
  const bounds = { maxRequests: o.maxRequests, connections: o.connections, maxInFlight: inFlightCap(o) };
  for (const [field, value] of Object.entries(bounds)) {
    if (value < o.workers)
      throw new BadInputError(`load: ${field} (${value}) is smaller than workers (${o.workers}): one each at least`, {
        field,
      });
  }
  return new WorkerLoad(o, hooks);
}
