import { beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/common/logger.ts';
import { startLoad } from '../../src/load/generator.ts';
import { Ledger } from '../../src/load/ledger.ts';
import { FrontDoor } from '../../src/targets/local/front-door.ts';
import { startRawServer } from './servers.ts';

// A connection-level failure names the replica its connection was bound to: real sockets through the local
// front door (an L4 balancer), two "replicas" that reset or close every connection, the front door's record.
async function failuresThrough(door: FrontDoor, workers: number): Promise<Ledger> {
  const ledger = new Ledger();
  const load = startLoad({
    gatewayUrl: door.url,
    consumers: [{ consumer: 'acme.web.alice', key: 'sk-up-alice-0123456789', model: 'm', expect: 200 }],
    rate: 'max',
    mix: { keepAlive: 0.5, freshConnection: 0.5, stream: 0 },
    maxDurationMs: 5_000,
    maxRequests: 8,
    requestTimeoutMs: 2_000,
    prices: { m: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 1 } },
    maxInFlight: 2,
    workers,
    ledger,
    attribute: (port) => door.replicaOf(port),
  });
  await load.issuingEnded;
  await load.stop();
  return ledger;
}

describe('failure attribution', () => {
  beforeAll(() => setLogLevel('warn'));

  // with load workers the port is named in the worker's thread and resolved by the run's (the front door's
  // record lives there)
  it.each([1, 2])(
    'names the replica behind the front door that reset or closed each failed connection (%i worker(s))',
    async (workers) => {
      await using resetting = await startRawServer((s) => s.resetAndDestroy());
      await using closing = await startRawServer((s) => s.end());
      await using door = await FrontDoor.open('gateway');
      door.add({ replica: 'gateway-resets', port: Number(new URL(resetting.url).port) });
      door.add({ replica: 'gateway-closes', port: Number(new URL(closing.url).port) });
      const rows = [...(await failuresThrough(door, workers))];
      expect(rows).toHaveLength(8);
      for (const row of rows) {
        expect(row.outcome).toBe('failed');
        expect(row.replica).toBe(row.failureClass === 'reset' ? 'gateway-resets' : 'gateway-closes');
      }
      expect(new Set(rows.map((r) => r.replica))).toEqual(new Set(['gateway-resets', 'gateway-closes']));
    },
  );
});
