import os from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/**
 * This generator's own CPU time (µs, user + system). In a load worker thread the process's figure counts
 * every thread, so it is the thread's own where Node has it (`process.threadCpuUsage`, Node ≥ 23.9) and
 * unknown (null) elsewhere: the event loop's busy share then stands in for it.
 */
function ownCpuMicros(): number | null {
  if (isMainThread) {
    const c = process.cpuUsage();
    return c.user + c.system;
  }
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (!thread) return null;
  const c = thread.call(process);
  return c.user + c.system;
}

/** A second in which the generator itself, not the platform, kept requests from going out on time. */
export interface BehindEpisode {
  /** End of the window, on the ledger's clock. */
  at: number;
  windowMs: number;
  /** Worst delay between a request falling due and the generator getting to it, ms. */
  scheduleLagMs: number;
  /** Worst event-loop delay (`monitorEventLoopDelay`), ms. */
  loopDelayMs: number;
  /** Share of the window the generator's event loop was busy (event-loop utilization, 0..1). */
  busy: number;
  /**
   * The generator's CPU time over the window, in cores (user + system): the process's, or a load worker
   * thread's own (its event loop's busy share where Node cannot tell a thread's CPU).
   */
  cpuCores: number;
  /** `client-cpu`, `event-loop-blocked` or `descheduled` (the machine's cores were taken), with the figures, in words. */
  reason: string;
}

const ms = (ns: number) => ns / 1e6;
const pct = (x: number) => `${Math.round(x * 100)} %`;

function reasonOf(e: Omit<BehindEpisode, 'reason'>): string {
  const figures = `late by up to ${Math.round(Math.max(e.scheduleLagMs, e.loopDelayMs))} ms; event loop busy ${pct(e.busy)}, process CPU ${e.cpuCores.toFixed(2)} cores`;
  // Busy but off the CPU (event loop mid-work, little CPU time): runnable, but the machine's cores were taken.
  if (e.cpuCores >= 0.8) return `client-cpu: the generator's own CPU could not keep up (${figures})`;
  if (e.busy >= 0.3 && e.cpuCores >= e.busy * 0.5) {
    return `event-loop-blocked: synchronous work or a GC pause in upcert held the generator (${figures})`;
  }
  const load = os.loadavg()[0]!.toFixed(1);
  return `descheduled: the machine's CPUs were taken by other processes, load average ${load} on ${os.availableParallelism()} cores (${figures})`;
}

/**
 * Watches the generator's own timeliness over 1-second windows: the schedule lag it reports (due → taken),
 * the event-loop delay, event-loop utilization and process CPU. A window whose lag exceeds `limitMs` is an
 * episode: the run cannot blame the lateness of those requests on the platform.
 */
export class LagMonitor {
  readonly #limitMs: number;
  readonly #histogram: IntervalHistogram;
  #elu = performance.eventLoopUtilization();
  #cpu = ownCpuMicros();
  #windowStart: number;
  #maxLag = 0;
  /** The last closed window's share of busy event loop and process CPU (cores). */
  last = { busy: 0, cpuCores: 0 };

  constructor(limitMs: number, now: number) {
    this.#limitMs = limitMs;
    this.#windowStart = now;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
  }

  /** A request fell due `lagMs` before the generator took it. */
  lag(lagMs: number): void {
    if (lagMs > this.#maxLag) this.#maxLag = lagMs;
  }

  /** Closes the window once a second has passed; returns an episode when the generator fell behind in it. */
  tick(now: number, issuing: boolean): BehindEpisode | null {
    const windowMs = now - this.#windowStart;
    if (windowMs < 1000) return null;
    const elu = performance.eventLoopUtilization(this.#elu);
    const cpu = ownCpuMicros();
    const sample = {
      at: now,
      windowMs,
      scheduleLagMs: this.#maxLag,
      loopDelayMs: ms(this.#histogram.max),
      busy: elu.utilization,
      cpuCores: cpu === null || this.#cpu === null ? elu.utilization : (cpu - this.#cpu) / 1000 / windowMs,
    };
    this.last = { busy: sample.busy, cpuCores: sample.cpuCores };
    this.#elu = performance.eventLoopUtilization();
    this.#cpu = cpu;
    this.#histogram.reset();
    this.#windowStart = now;
    this.#maxLag = 0;
    if (!issuing || Math.max(sample.scheduleLagMs, sample.loopDelayMs) <= this.#limitMs) return null;
    return { ...sample, reason: reasonOf(sample) };
  }

  close(): void {
    this.#histogram.disable();
  }
}
