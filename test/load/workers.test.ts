/**
 * The load on several worker threads (`workers` > 1): the run's ledger gets every row as one generator would
 * give it (the same rows, costs and replicas; ids re-numbered into its own interners), on the run's clock, the
 * split rate clock interleaves the workers' intended starts as one clock's, the bounds hold for the sum, and
 * pause and stop reach every worker. Real threads, real HTTP over loopback to a fake gateway.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/common/logger.ts';
import type { ConsumerSpec } from '../../src/load/consumers.ts';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import { ShardCutter, ShardMerger } from '../../src/load/ledger-shard.ts';
import { type LoadOptions, resolveLoadOptions } from '../../src/load/options.ts';
import { workerOptions } from '../../src/load/worker-load.ts';
import { startFakeGateway } from './servers.ts';

const prices = { 'coding-default': { inputMicroUsdPerToken: 2, outputMicroUsdPerToken: 5 } };
const consumer = (name: string): ConsumerSpec => ({
  consumer: `acme.web.${name}`,
  key: `sk-up-${name}-0123456789`,
  model: 'coding-default',
  expect: 200,
  prompt: 'one two three four',
});

function options(url: string, over: Partial<LoadOptions> = {}): LoadOptions {
  return {
    gatewayUrl: url,
    consumers: [consumer('alice'), consumer('bob'), consumer('zoë')],
    rate: 400,
    mix: { keepAlive: 0.6, freshConnection: 0.2, stream: 0.2 },
    maxDurationMs: 10_000,
    maxRequests: 301,
    requestTimeoutMs: 2_000,
    prices,
    ledger: new Ledger(),
    workers: 2,
    ...over,
  };
}

describe('load workers', () => {
  beforeAll(() => setLogLevel('warn'));

  it('the run ledger gets every row, on the run clock; the split clock interleaves; the count bound is the sum', async () => {
    await using gw = await startFakeGateway({ version: 'v1.9.0', replica: 'gateway-v1.9.0-2' });
    const ledger = new Ledger();
    const before = ledger.clock();
    await using load = startLoad(options(gw.url, { ledger }));
    expect(await load.issuingEnded).toBe('max-requests');
    const result = await load.stop();
    const after = ledger.clock();
    expect(result).toMatchObject({ stoppedBy: 'max-requests', issued: 301, abandoned: 0 });
    expect(ledger.size).toBe(301);
    expect(gw.hits()).toBe(301);
    expect(result.summary).toMatchObject({ total: 301, served: 301, failed: 0, byVersion: { 'v1.9.0': 301 } });
    const rows = [...ledger];
    // 4 words + 3 × 1 message = 7 prompt tokens, 16 completion tokens: 7 × 2 + 16 × 5 = 94 micro-USD each
    expect(result.summary.costMicroUsd).toBe(301 * 94);
    expect(new Set(rows.map((r) => r.consumer))).toEqual(new Set(['acme.web.alice', 'acme.web.bob', 'acme.web.zoë']));
    expect(new Set(rows.map((r) => r.replica))).toEqual(new Set(['gateway-v1.9.0-2']));
    for (const r of rows) {
      expect(r.start).toBeGreaterThanOrEqual(before);
      expect(r.end).toBeLessThanOrEqual(after);
    }
    // one clock at 400 req/s: intended starts 2.5 ms apart, whichever worker sent them
    const intended = rows.map((r) => r.intended!).sort((a, b) => a - b);
    const gaps = intended.slice(1).map((t, i) => t - intended[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(2.4);
    expect(Math.max(...gaps)).toBeLessThan(2.6);
  });

  it('pause stops every worker until resume; stop drains them all', async () => {
    await using gw = await startFakeGateway({});
    const ledger = new Ledger();
    await using load = startLoad(options(gw.url, { ledger, rate: 200, maxRequests: 10_000 }));
    const until = async (what: string, ok: () => boolean) => {
      for (const end = Date.now() + 20_000; !ok(); await sleep(20)) {
        if (Date.now() > end) throw new Error(`not within 20 s: ${what}`);
      }
    };
    await until('rows arrive', () => ledger.size >= 20);
    // a paused worker hands over its last rows with its answer: nothing arrives after pause() resolved
    expect(await load.pause()).toBe(true);
    const paused = ledger.size;
    expect(load.stats().paused).toBe(true);
    await sleep(300);
    expect(ledger.size).toBe(paused);
    load.resume();
    await until('rows arrive again', () => ledger.size >= paused + 20);
    const result = await load.stop();
    expect(result).toMatchObject({ stoppedBy: 'stop', abandoned: 0 });
    expect(result.issued).toBe(ledger.size);
    expect(result.workerFailures).toBeUndefined();
  });

  it('splits the rate, connections, cap and count as request j of one clock goes to worker j mod n', () => {
    const o = resolveLoadOptions(options('http://127.0.0.1:1', { rate: 1000, connections: 5, maxInFlight: 9 }));
    const parts = [0, 1, 2].map((k) => workerOptions(o, k, 3));
    expect(parts.map((p) => p.rate)).toEqual([1000 / 3, 1000 / 3, 1000 / 3]);
    expect(parts.map((p) => p.maxRequests)).toEqual([101, 100, 100]);
    expect(parts.map((p) => p.connections)).toEqual([2, 2, 1]);
    expect(parts.map((p) => p.maxInFlight)).toEqual([3, 3, 3]);
    // worker k's request i is request 3i + k of the one clock: due at (3i + k + 1) ms
    expect(parts.map((p) => p.phaseMs)).toEqual([2, 1, 0]);
  });

  it('a chunk carries its rows and the strings of new ids; the merger re-numbers them and keeps a big cost', () => {
    const shard = new Ledger();
    const run = new Ledger();
    run.append(row({ consumer: 'already.there', version: 'v0', replica: 'r0' }));
    const cutter = new ShardCutter(shard);
    const merger = new ShardMerger(run);
    shard.append(row({ consumer: 'a', version: 'v1', replica: 'r1', costMicroUsd: 5_000_000_000 }));
    merger.append(cutter.cut()!.chunk);
    expect(cutter.cut()).toBeUndefined();
    shard.append(row({ consumer: 'b', version: 'v1', replica: 'r1', error: 'boom', outcome: 'failed' }));
    shard.append(row({ consumer: 'a', version: 'v2', replica: 'r2' }));
    const { chunk, transfer } = cutter.cut()!;
    expect(chunk.consumers).toEqual([[2, 'b']]);
    expect(transfer).toHaveLength(11);
    merger.append(chunk);
    expect(shard.size).toBe(0);
    expect([...run].map((r) => [r.consumer, r.version, r.replica, r.costMicroUsd, r.error])).toEqual([
      ['already.there', 'v0', 'r0', 1, ''],
      ['a', 'v1', 'r1', 5_000_000_000, ''],
      ['b', 'v1', 'r1', 0, 'boom'],
      ['a', 'v2', 'r2', 1, ''],
    ]);
  });
});

function row(over: {
  consumer: string;
  version: string;
  replica: string;
  costMicroUsd?: number;
  error?: string;
  outcome?: 'failed';
}) {
  const failed = over.outcome === 'failed';
  return {
    intended: 1,
    start: 2,
    end: 3,
    consumer: over.consumer,
    kind: 'keep-alive' as const,
    status: failed ? 500 : 200,
    version: over.version,
    replica: over.replica,
    promptTokens: 1,
    completionTokens: 1,
    costMicroUsd: failed ? 0 : (over.costMicroUsd ?? 1),
    outcome: failed ? ('failed' as const) : ('served' as const),
    failureClass: failed ? ('http-5xx' as const) : null,
    error: over.error ?? '',
  };
}

describe('load workers, bad input', () => {
  it('a bound smaller than the workers cannot be split: bad input naming it', () => {
    const o = (over: Partial<LoadOptions>) => options('http://127.0.0.1:1', { workers: 4, ...over });
    expect(() => startLoad(o({ maxRequests: 3 }))).toThrow(/maxRequests \(3\) is smaller than workers \(4\)/);
    expect(() => startLoad(o({ connections: 2 }))).toThrow(/connections \(2\) is smaller than workers \(4\)/);
    expect(() => startLoad(o({ maxInFlight: 3 }))).toThrow(/maxInFlight \(3\) is smaller than workers \(4\)/);
  });
});
