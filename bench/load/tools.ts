/** The two tools the bench runs: autocannon, and upcert's generator with its full ledger. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LoadOptions } from '../../src/load/options.ts';

export const body = JSON.stringify({ model: 'bulk', messages: [{ role: 'user', content: 'hello there' }] });
const headers = { authorization: 'Bearer sk-up-bench', 'content-type': 'application/json' };

export interface Segment {
  requests: number;
  failed: number;
  seconds: number;
}

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export async function theirs(url: string, seconds: number, connections: number): Promise<Segment> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers,
    body,
    connections,
    duration: seconds,
  });
  return { requests: r.requests.total, failed: r.errors + r.non2xx, seconds: r.duration };
}

export const keepAliveOnly = { keepAlive: 1, freshConnection: 0, stream: 0 };
export const freshOnly = { keepAlive: 0, freshConnection: 1, stream: 0 };
/** The realistic mix: 45 % fresh connections, 10 % streams. */
export const realisticMix = { keepAlive: 0.45, freshConnection: 0.45, stream: 0.1 };

export function loadOptions(url: string, over: Partial<LoadOptions>): LoadOptions {
  return {
    gatewayUrl: url,
    consumers: [
      { consumer: 'bench.bench.bench', key: 'sk-up-bench', model: 'bulk', expect: 200, prompt: 'hello there' },
    ],
    rate: 'max',
    mix: keepAliveOnly,
    maxDurationMs: 2_000,
    maxRequests: 50_000_000,
    requestTimeoutMs: 10_000,
    prices: { bulk: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 2 } },
    ledger: new Ledger(),
    ...over,
  };
}

/** Closed loop at max rate over `connections` keep-alive connections, like autocannon. */
export async function ours(url: string, seconds: number, connections: number): Promise<Segment> {
  const load = startLoad(loadOptions(url, { maxDurationMs: seconds * 1000, connections, maxInFlight: connections }));
  await load.issuingEnded;
  const r = await load.stop();
  return { requests: r.summary.total, failed: r.summary.failed, seconds: r.durationMs / 1000 };
}

export interface Hold {
  asked: number;
  /** Requests sent per second of the run (by actual start), full seconds only. */
  perSecond: number[];
  served: number;
  failed: number;
  late: number;
  behind: number;
  /** Own CPU per request, µs, and its user-space share (the rest is the kernel's, connects and closes mostly). */
  cpuUs: number;
  userUs: number;
  p99LatencyMs: number;
}

/**
 * Waits (up to 90 s) until the loopback's TIME_WAIT sockets are gone: a hold of fresh connections at thousands
 * per second leaves tens of thousands (60 s each, 28,232 local ports), and the next hold's connects would pay for
 * the kernel's search for a free port (or fail with EADDRNOTAVAIL), which is not the generator's cost.
 */
export async function timeWaitDrained(): Promise<void> {
  const count = () => {
    const lines = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
    return lines.filter((l) => l.trim().split(/\s+/)[3] === '06').length; // st 06: TIME_WAIT
  };
  for (const end = Date.now() + 90_000; count() > 500 && Date.now() < end; ) await sleep(1000);
}

/** Open loop at `rate` for `seconds`: did the generator hold the rate, and at what CPU per request? */
export async function hold(
  url: string,
  rate: number,
  seconds: number,
  mix: LoadOptions['mix'],
  o: { workers?: number; maxInFlight?: number } = {},
): Promise<Hold> {
  const ledger = new Ledger();
  await timeWaitDrained();
  globalThis.gc?.(); // the last run's garbage is not this one's cost (the bench runs with --expose-gc)
  // process CPU: the worker threads' included
  const cpu0 = process.cpuUsage();
  const load = startLoad(loadOptions(url, { rate, mix, maxDurationMs: seconds * 1000, connections: 64, ledger, ...o }));
  await load.issuingEnded;
  const r = await load.stop();
  const cpu = process.cpuUsage(cpu0);
  let t0 = Number.POSITIVE_INFINITY; // the schedule's start: slot 0 is due one interval after it
  for (let i = 0; i < ledger.size; i++) t0 = Math.min(t0, ledger.intendedAt(i) - 1000 / rate);
  const perSecond = new Array<number>(seconds).fill(0);
  const latencies = new Float64Array(ledger.size);
  for (let i = 0; i < ledger.size; i++) {
    const s = Math.floor((ledger.columns.start[i]! - t0) / 1000);
    if (s >= 0 && s < seconds) perSecond[s]!++;
    latencies[i] = ledger.latencyAt(i);
  }
  latencies.sort();
  return {
    asked: rate,
    perSecond,
    served: r.summary.served,
    failed: r.summary.failed,
    late: r.late,
    behind: r.behind.length,
    cpuUs: (cpu.user + cpu.system) / Math.max(1, r.summary.total),
    userUs: cpu.user / Math.max(1, r.summary.total),
    p99LatencyMs: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}
