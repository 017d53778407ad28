import { z } from 'zod';
import { BadInputError } from '../common/errors.ts';
import type { ModelPrices } from '../common/prices.ts';
import type { ConsumerSpec } from './consumers.ts';
import type { BehindEpisode } from './lag-monitor.ts';
import { Ledger } from './ledger.ts';
import type { LoadResult } from './running-load.ts';

const price = z.object({
  inputMicroUsdPerToken: z.number().int().nonnegative(),
  outputMicroUsdPerToken: z.number().int().nonnegative(),
});
const consumer = z.object({
  consumer: z.string().min(1),
  key: z.string().min(1),
  model: z.string().min(1),
  expect: z.union([z.literal(200), z.literal(403), z.literal(429)]),
  prompt: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
const share = z.number().min(0).max(1);

export const loadOptionsSchema = z
  .object({
    gatewayUrl: z.url(),
    consumers: z.array(consumer).min(1),
    /** Requests per second, open loop; `max`: as fast as `maxInFlight` allows (closed loop). */
    rate: z.union([z.number().positive(), z.literal('max')]),
    mix: z.object({ keepAlive: share, freshConnection: share, stream: share }),
    maxDurationMs: z.number().positive(),
    maxRequests: z.number().int().positive(),
    requestTimeoutMs: z.number().positive(),
    prices: z.record(z.string(), price),
    /**
     * Keep-alive connections of the pool in the closed loop (`rate: 'max'`); in the open loop the pool opens
     * more, up to the in-flight cap, when a request falls due while every connection is busy.
     */
    connections: z.number().int().positive().default(16),
    /**
     * Requests in flight at most (default: sized for the rate and the request timeout, see `inFlightCap`);
     * a request due beyond it waits and goes late, its latency counting from its intended start.
     */
    maxInFlight: z.number().int().positive().optional(),
    /** The generator's own lateness (due → taken, or event-loop delay) beyond which a second is an episode. */
    maxLagMs: z.number().positive().default(500),
    /** How long `stop()` and `pause()` wait for in-flight requests before aborting them. */
    drainTimeoutMs: z.number().positive().optional(),
    /**
     * Generators, each a worker thread with its share of the rate, the connections, the in-flight cap and the
     * request count, and a ledger of its own handed to `ledger` as it fills (`worker-load.ts`); 1: this thread.
     */
    workers: z.number().int().min(1).max(64).default(1),
    /** A worker's offset in the split rate clock (set by `worker-load.ts`; see `Schedule`). */
    phaseMs: z.number().nonnegative().optional(),
    /** When the schedule starts on the run's clock (set by `worker-load.ts`: the same instant for every worker). */
    startAt: z.number().positive().optional(),
    ledger: z.instanceof(Ledger),
    /** The replica a connection from a local port was bound to, where the target knows it (failure attribution). */
    attribute: z.custom<(localPort: number) => string | undefined>((v) => typeof v === 'function').optional(),
  })
  .refine((o) => Math.abs(o.mix.keepAlive + o.mix.freshConnection + o.mix.stream - 1) < 1e-9, {
    message: 'the shares of the mix must add up to 1',
    path: ['mix'],
  })
  .refine((o) => o.consumers.every((c) => o.prices[c.model]), {
    message: 'every consumer model needs a price',
    path: ['prices'],
  });

export interface LoadOptions {
  gatewayUrl: string;
  consumers: ConsumerSpec[];
  rate: number | 'max';
  mix: { keepAlive: number; freshConnection: number; stream: number };
  maxDurationMs: number;
  maxRequests: number;
  requestTimeoutMs: number;
  prices: Record<string, ModelPrices>;
  connections?: number;
  maxInFlight?: number;
  maxLagMs?: number;
  drainTimeoutMs?: number;
  /** Worker threads generating the load (default 1: this thread); see `loadOptionsSchema`. */
  workers?: number;
  phaseMs?: number;
  startAt?: number;
  /** Told of every second in which the generator itself fell behind (the run cannot be judged on it). */
  onBehind?: (episode: BehindEpisode) => void;
  /** Told of the load's result once it has stopped. */
  onFinished?: (result: LoadResult) => void;
  ledger: Ledger;
  attribute?: (localPort: number) => string | undefined;
}

export type ResolvedLoadOptions = z.output<typeof loadOptionsSchema>;

export function resolveLoadOptions(input: LoadOptions): ResolvedLoadOptions {
  const parsed = loadOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new BadInputError(`load: invalid option ${field}: ${issue.message}`, { field, cause: parsed.error });
}

/** A real certification run's minimum (DESIGN.md): at least 10 consumers and at least 10 % streams. */
export function realRunLoadMustBeValid(o: Pick<LoadOptions, 'consumers' | 'mix'>): void {
  if (o.consumers.length < 10) {
    throw new BadInputError(`load: a certification run needs at least 10 consumers (got ${o.consumers.length})`, {
      field: 'consumers',
    });
  }
  if (o.mix.stream < 0.1) {
    throw new BadInputError(`load: a certification run needs at least 10% streams (got ${o.mix.stream * 100}%)`, {
      field: 'mix.stream',
    });
  }
}

/** File descriptors and memory bound what may be in flight, whatever the rate asks. */
const hardCap = 16_384;

/**
 * The in-flight cap: every request of one timeout's worth at the rate (Little's law with the worst latency
 * the load accepts), plus the pool's connections; `maxInFlight` when given. Closed loop: the connections.
 */
export function inFlightCap(o: Pick<ResolvedLoadOptions, 'rate' | 'requestTimeoutMs' | 'connections' | 'maxInFlight'>) {
  if (o.maxInFlight !== undefined) return o.maxInFlight;
  if (o.rate === 'max') return o.connections;
  return Math.min(hardCap, Math.ceil((o.rate * o.requestTimeoutMs) / 1000) + o.connections);
}
