/**
 * The fixture's load profile holds on a real gateway: after seeding, every consumer's prompt gets exactly the
 * status the fixture declares (200, 403 from a guardrail, 429 from a budget that starts over its cap).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformUrl } from '../../src/common/addresses.ts';
import { seedTenants } from '../../src/seed/seed.ts';
import type { LoadConsumer } from '../../src/seed/seeded.ts';
import { startReadyComponent, testSecrets } from '../support/platform.ts';
import { startTestDatabase, type TestDatabase } from '../support/postgres.ts';

const secrets = testSecrets(randomBytes(12).toString('hex'));
let server: TestDatabase | undefined;

async function statusOf(gateway: string, c: LoadConsumer): Promise<number> {
  const response = await fetch(`${gateway}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: c.model, messages: [{ role: 'user', content: c.prompt }] }),
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('load profile of the tenant fixture on a real gateway', () => {
  beforeAll(async () => {
    server = await startTestDatabase({ password: secrets.databasePassword });
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  for (const version of ['v1.7.0', 'v1.8.0', 'v1.9.0']) {
    it(`${version}: every consumer gets the status it expects`, async () => {
      const name = `load_${version.slice(1).replaceAll('.', '_')}`;
      const pool = await server!.createDatabase(name);
      const database = { db: server!, database: name, version, secrets };
      await using cp = await startReadyComponent('control-plane', database);
      await using mock = await startReadyComponent('provider-mock', database);
      const api = { url: cp.url, adminToken: secrets.adminToken };
      const seeded = await seedTenants({ api, version, db: pool, providerMockUrl: platformUrl(mock.url) });
      await using gateway = await startReadyComponent('gateway', { ...database, controlPlaneUrl: cp.url });

      const expected = seeded.load.map((c) => `${c.consumer} ${c.expect}`);
      let got: string[] = [];
      const deadline = Date.now() + 15_000;
      do {
        got = [];
        for (const c of seeded.load) got.push(`${c.consumer} ${await statusOf(gateway.url, c)}`);
        if (got.join() === expected.join()) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < deadline);
      expect(got).toEqual(expected);
      expect(seeded.load.filter((c) => c.expect !== 200).map((c) => `${c.userId} ${c.expect}`)).toEqual([
        'mallory 403',
        'max-over 429',
      ]);
    });
  }
});
