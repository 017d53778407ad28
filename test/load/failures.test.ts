import { beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/common/logger.ts';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LoadOptions } from '../../src/load/options.ts';
import type { FailureClass } from '../../src/load/types.ts';
import { deadPort, type KeyBehaviour, startFakeGateway, startRawServer } from './servers.ts';

const key = 'sk-up-alice-0123456789';
const keepAliveOnly = { keepAlive: 1, freshConnection: 0, stream: 0 };
const streamsOnly = { keepAlive: 0, freshConnection: 0, stream: 1 };

/** Runs a small bounded load against `url` and returns its ledger. */
async function run(url: string, over: Partial<LoadOptions> = {}): Promise<Ledger> {
  const ledger = new Ledger();
  const load = startLoad({
    gatewayUrl: url,
    consumers: [{ consumer: 'acme.web.alice', key, model: 'm', expect: 200 }],
    rate: 'max',
    mix: keepAliveOnly,
    maxDurationMs: 5_000,
    maxRequests: 6,
    requestTimeoutMs: 2_000,
    prices: { m: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 1 } },
    maxInFlight: 2,
    ledger,
    ...over,
  });
  await load.issuingEnded;
  await load.stop();
  return ledger;
}

const classes = (ledger: Ledger) => new Set([...ledger].map((r) => r.failureClass));
const gateway = (b: KeyBehaviour) => startFakeGateway({ keys: { [key]: b } });

describe('every failure class, produced for real through the generator', () => {
  beforeAll(() => setLogLevel('warn'));

  it('connect-refused: nobody listens', async () => {
    const ledger = await run(`http://127.0.0.1:${await deadPort()}`, {
      mix: { keepAlive: 0.5, freshConnection: 0.5, stream: 0 },
    });
    expect(classes(ledger)).toEqual(new Set<FailureClass>(['connect-refused']));
    expect(ledger.summary().failed).toBe(6);
  });

  it('reset: the server resets the connection', async () => {
    await using server = await startRawServer((s) => s.resetAndDestroy());
    expect(classes(await run(server.url))).toEqual(new Set(['reset']));
  });

  it('closed: the server closes without answering', async () => {
    await using server = await startRawServer((s) => s.end());
    expect(classes(await run(server.url))).toEqual(new Set(['closed']));
  });

  it('timeout: no answer within the per-request timeout', async () => {
    await using gw = await gateway({ hang: true });
    const ledger = await run(gw.url, { requestTimeoutMs: 300, maxRequests: 2 });
    expect(classes(ledger)).toEqual(new Set(['timeout']));
    // The deadline counts from the hand-off to undici (a pooled request may still wait for its connection).
    expect(ledger.latencyAt(0)).toBeGreaterThanOrEqual(290);
    expect(ledger.latencyAt(0)).toBeLessThan(1_500);
  });

  it('http-5xx: the gateway answers 502', async () => {
    await using gw = await gateway({ status: 502 });
    const ledger = await run(gw.url);
    expect(classes(ledger)).toEqual(new Set(['http-5xx']));
    expect(ledger.row(0)).toMatchObject({
      status: 502,
      version: 'v1.8.0',
      error: 'HTTP 502 (expected 200): refused: status 502',
    });
  });

  it('unexpected-status: a 401 for a consumer meant to be served', async () => {
    await using gw = await gateway({ status: 401 });
    expect(classes(await run(gw.url))).toEqual(new Set(['unexpected-status']));
  });

  it('stream-truncated: a stream that ends without [DONE]', async () => {
    await using gw = await gateway({ omitDone: true });
    const ledger = await run(gw.url, { mix: streamsOnly });
    expect(classes(ledger)).toEqual(new Set(['stream-truncated']));
    expect(ledger.row(0).error).toContain('[DONE]');
  });

  it('stream-truncated: a stream whose connection is cut mid-body', async () => {
    await using gw = await gateway({ cutStream: true });
    const ledger = await run(gw.url, { mix: streamsOnly });
    expect(classes(ledger)).toEqual(new Set(['stream-truncated']));
    expect(ledger.row(0).status).toBe(200);
  });

  it('a 200 without usage is not served: unexpected-status for a reply, stream-truncated for a stream', async () => {
    await using gw = await gateway({ noUsage: true });
    const ledger = await run(gw.url, { mix: { keepAlive: 0.5, freshConnection: 0, stream: 0.5 }, maxRequests: 4 });
    const rows = [...ledger];
    expect(rows.filter((r) => r.kind === 'keep-alive').map((r) => r.error)).toEqual(
      Array(2).fill('response without usage'),
    );
    expect(rows.filter((r) => r.kind === 'stream').map((r) => r.failureClass)).toEqual(
      Array(2).fill('stream-truncated'),
    );
    expect(ledger.summary()).toMatchObject({ served: 0, costMicroUsd: 0, byClass: { 'unexpected-status': 2 } });
  });

  it('a complete stream is served, with the usage of its last chunk', async () => {
    await using gw = await gateway({});
    const ledger = await run(gw.url, { mix: streamsOnly });
    expect(ledger.summary()).toMatchObject({ served: 6, streams: 6 });
    // The default prompt has 11 words: 11 + 3 = 14 prompt tokens; cost 14 × 1 + 16 × 1.
    expect(ledger.row(0)).toMatchObject({ promptTokens: 14, completionTokens: 16, costMicroUsd: 30 });
  });

  it('fresh-connection requests each open a new connection; keep-alive ones reuse the pool', async () => {
    await using fresh = await gateway({});
    await run(fresh.url, { mix: { keepAlive: 0, freshConnection: 1, stream: 0 }, maxRequests: 10 });
    expect(fresh.connections()).toBe(10);
    await using kept = await gateway({});
    await run(kept.url, { maxRequests: 10, connections: 2 });
    expect(kept.connections()).toBeLessThanOrEqual(2);
  });
});
