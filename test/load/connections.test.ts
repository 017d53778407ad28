import type { ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LoadOptions } from '../../src/load/options.ts';
import { setLogLevel } from '../../src/report/logger.ts';
import { startHttpServer, startRawServer } from './servers.ts';

const reply = '{"id":"c1","usage":{"prompt_tokens":3,"completion_tokens":4}}';
const served = (res: ServerResponse, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'gw-1', ...headers });
  res.end(reply);
};

/** A small bounded keep-alive load; returns its ledger. */
async function run(url: string, over: Partial<LoadOptions> = {}): Promise<Ledger> {
  const ledger = new Ledger();
  const load = startLoad({
    gatewayUrl: url,
    consumers: [{ consumer: 'acme.web.alice', key: 'sk-up-alice', model: 'm', expect: 200 }],
    rate: 'max',
    mix: { keepAlive: 1, freshConnection: 0, stream: 0 },
    maxDurationMs: 5_000,
    maxRequests: 10,
    requestTimeoutMs: 2_000,
    prices: { m: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 1 } },
    connections: 2,
    maxInFlight: 2,
    ledger,
    ...over,
  });
  await load.issuingEnded;
  await load.stop();
  return ledger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the generator's connections", () => {
  beforeAll(() => setLogLevel('warn'));

  it('reuses keep-alive connections', async () => {
    await using server = await startHttpServer((_, res) => served(res));
    const ledger = await run(server.url, { maxRequests: 50 });
    expect(ledger.summary()).toMatchObject({ served: 50, failed: 0 });
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('a draining gateway (Connection: close on every response) costs no request', async () => {
    await using server = await startHttpServer((_, res) => served(res, { connection: 'close' }));
    const ledger = await run(server.url, { maxRequests: 20 });
    expect(ledger.summary()).toMatchObject({ served: 20, failed: 0 });
    expect(server.connections()).toBe(20);
  });

  it('an idle connection the server closed is not used again', async () => {
    // Answers keep-alive without advertising a timeout, then closes the connection 30 ms later.
    await using server = await startRawServer((s) => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${reply.length}\r\n\r\n${reply}`);
      setTimeout(() => s.end(), 30);
    });
    const ledger = await run(server.url, { rate: 10, maxRequests: 5, connections: 1, maxInFlight: 1 });
    expect(ledger.summary()).toMatchObject({ served: 5, failed: 0 });
    expect(server.hits()).toBe(5);
  });

  it('closes idle connections within the keep-alive timeout the server advertises', async () => {
    // Node advertises `Keep-Alive: timeout=3`; the generator keeps an idle connection 1 s (3 s less 2 s).
    await using server = await startHttpServer((_, res) => served(res), 3_000);
    const ledger = new Ledger();
    const load = startLoad({
      gatewayUrl: server.url,
      consumers: [{ consumer: 'acme.web.alice', key: 'sk-up-alice', model: 'm', expect: 200 }],
      rate: 'max',
      mix: { keepAlive: 1, freshConnection: 0, stream: 0 },
      maxDurationMs: 5_000,
      maxRequests: 2,
      requestTimeoutMs: 2_000,
      prices: { m: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 1 } },
      connections: 1,
      ledger,
    });
    await load.issuingEnded;
    await sleep(300);
    expect(server.closes()).toBe(0);
    await sleep(1_400); // past the 1 s, with the 500 ms sweep
    expect(server.closes()).toBe(1);
    await load.stop();
    expect(ledger.summary()).toMatchObject({ served: 2, failed: 0 });
  });

  it('reads a chunked JSON reply', async () => {
    await using server = await startHttpServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-gateway-version': 'v1.9.0' });
      res.write(reply.slice(0, 20));
      setTimeout(() => res.end(reply.slice(20)), 5);
    });
    const ledger = await run(server.url, { maxRequests: 4 });
    expect(ledger.summary()).toMatchObject({ served: 4, failed: 0, costMicroUsd: 28 });
    expect(ledger.row(0)).toMatchObject({ version: 'v1.9.0', promptTokens: 3, completionTokens: 4 });
  });

  it('a body cut short of its content-length is closed; bytes after a response end the connection', async () => {
    await using cut = await startRawServer((s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"usage":'));
    const cutLedger = await run(cut.url, { maxRequests: 3 });
    expect(cutLedger.summary()).toMatchObject({ failed: 3, byClass: { closed: 3 } });
    await using extra = await startRawServer((s) => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${reply.length}\r\n\r\n${reply}HTTP/1.1 200 OK\r\n`);
      s.on('data', () => s.destroy()); // a reused connection would send a second request
    });
    const ledger = await run(extra.url, { maxRequests: 3, connections: 1, maxInFlight: 1 });
    expect(ledger.summary()).toMatchObject({ served: 3, failed: 0 });
    expect(extra.connections()).toBe(3);
  });
});
