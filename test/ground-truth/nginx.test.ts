/**
 * Ground truth from software nobody here wrote (issue 5): the zero-drop detector (upcert's own load
 * generator and ledger) must see what is known of Debian's nginx on loopback, 5 reloads in 8 s under load:
 * fresh connections lose nothing; keep-alive POSTs lose a few, as resets or "other side closed" (old workers
 * close idle keep-alive connections, and a request sent on one at that moment is lost); a fast stop and
 * start is refused connections.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/common/logger.ts';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LoadOptions } from '../../src/load/options.ts';
import { startFakeGateway, type TestServer } from '../load/servers.ts';
import { type Nginx, nginxBinary, startNginx } from './nginx-server.ts';

const key = 'sk-up-ground-truth-0123456789';
const windowMs = 8_000;

let upstream: TestServer;
let nginx: Nginx;

beforeAll(async () => {
  setLogLevel('warn');
  upstream = await startFakeGateway({ version: 'nginx-upstream' });
  nginx = await startNginx(upstream.port);
});
afterAll(async () => {
  await nginx?.[Symbol.asyncDispose]();
  await upstream?.[Symbol.asyncDispose]();
});

/** Load through nginx for `windowMs` while `disturb` runs; returns the ledger once every request is answered. */
async function underLoad(mix: LoadOptions['mix'], disturb: () => Promise<void>): Promise<Ledger> {
  const ledger = new Ledger();
  const load = startLoad({
    gatewayUrl: nginx.url,
    consumers: [{ consumer: 'nginx.ground.truth', key, model: 'm', expect: 200 }],
    rate: 'max',
    mix,
    maxDurationMs: windowMs + 2_000,
    maxRequests: 2_000_000,
    requestTimeoutMs: 5_000,
    prices: { m: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 2 } },
    connections: 64,
    maxInFlight: 64,
    drainTimeoutMs: 10_000,
    ledger,
  });
  try {
    await sleep(500);
    await disturb();
  } finally {
    await load.stop();
  }
  return ledger;
}

/** What each case saw, for the reader of the test log (the figures are from 2026-11-27). */
function report(what: string, ledger: Ledger): ReturnType<Ledger['summary']> {
  const s = ledger.summary();
  const classes = Object.entries(s.byClass).filter(([, n]) => n > 0);
  process.stderr.write(
    `nginx ground truth: ${what}: ${s.failed} of ${s.total} failed ${JSON.stringify(Object.fromEntries(classes))}\n`,
  );
  return s;
}

/** 5 reloads spread over the 8 s window. */
async function fiveReloads(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await sleep(windowMs / 5 - 100);
    await nginx.reload();
  }
  await sleep(500);
}

// Off CI a machine without nginx skips (apt-get install -y nginx-light); in CI (.ci/run installs it) it must run.
describe.skipIf(!nginxBinary && process.env.CI !== 'true')('nginx 1.22 ground truth', () => {
  it('fresh connections through 5 reloads: nothing lost', { timeout: 60_000 }, async () => {
    const ledger = await underLoad({ keepAlive: 0, freshConnection: 1, stream: 0 }, fiveReloads);
    const s = report('fresh connections, 5 reloads', ledger);
    expect(s.total).toBeGreaterThan(1000);
    expect(s.failed, `${s.failed} of ${s.total} failed: ${JSON.stringify(s.byClass)}`).toBe(0);
  });

  it('keep-alive POSTs through 5 reloads: some lost, classified reset or closed', { timeout: 60_000 }, async () => {
    const ledger = await underLoad({ keepAlive: 1, freshConnection: 0, stream: 0 }, fiveReloads);
    const s = report('keep-alive POSTs, 5 reloads', ledger);
    const raced = (s.byClass.reset ?? 0) + (s.byClass.closed ?? 0);
    expect(s.failed, `none of ${s.total} keep-alive requests failed`).toBeGreaterThan(0);
    expect(raced, `failures not classified reset/closed: ${JSON.stringify(s.byClass)}`).toBe(s.failed);
  });

  it('a fast stop and start: refused connections', { timeout: 60_000 }, async () => {
    const ledger = await underLoad({ keepAlive: 0, freshConnection: 1, stream: 0 }, async () => {
      await sleep(1_000);
      await nginx.stop();
      await sleep(300);
      await nginx.start();
      await sleep(1_000);
    });
    const s = report('fast stop and start', ledger);
    const refused = s.byClass['connect-refused'] ?? 0;
    expect(refused, JSON.stringify(s.byClass)).toBeGreaterThan(0);
    expect(refused, `most failures must be connect-refused: ${JSON.stringify(s.byClass)}`).toBeGreaterThan(
      s.failed / 2,
    );
    expect(s.served).toBeGreaterThan(0);
  });
});
