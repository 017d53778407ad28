/**
 * Seeds a real control plane (the reference platform's, run from source on an embedded PostgreSQL) and
 * proves that the fingerprints taken through the API and straight from the database agree, spend included.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformUrl } from '../../src/common/addresses.ts';
import { deleteTenants } from '../../src/seed/delete.ts';
import {
  describeDifference,
  diffFingerprints,
  fingerprintFromApi,
  fingerprintFromDatabase,
} from '../../src/seed/fingerprint.ts';
import { seedTenants } from '../../src/seed/seed.ts';
import { componentMain, startReadyComponent, testSecrets } from '../support/platform.ts';
import { startTestDatabase, type TestDatabase } from '../support/postgres.ts';

const providerMockUrl = platformUrl('http://127.0.0.1:4599');
const secrets = testSecrets(randomBytes(12).toString('hex'));
let server: TestDatabase | undefined;

async function platform(version: string, database: string) {
  const pool = await server!.createDatabase(database);
  const cp = await startReadyComponent('control-plane', { version, db: server!, database, secrets });
  return { pool, cp, api: { url: cp.url, adminToken: secrets.adminToken } };
}

const spendOf = (f: { records: { kind: string; id: string; spentMicroUsd?: number }[] }, id: string) =>
  f.records.find((r) => r.kind === 'budget' && r.id === id)?.spentMicroUsd;

describe(`seeding the control plane (${componentMain('control-plane')})`, () => {
  beforeAll(async () => {
    server = await startTestDatabase({ password: secrets.databasePassword });
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  for (const version of ['v1.7.0', 'v1.8.0', 'v1.9.0']) {
    it(`seeds ${version}; API and database fingerprints agree, history spend included`, async () => {
      const { pool, cp, api } = await platform(version, `platform_${version.slice(1).replaceAll('.', '_')}`);
      await using _cp = cp;
      const seeded = await seedTenants({ api, version, db: pool, providerMockUrl });
      expect(seeded.load).toHaveLength(22);
      expect(seeded.load.every((l) => l.key.startsWith('sk-up-'))).toBe(true);
      expect(seeded.prices['coding-default']).toEqual({ inputMicroUsdPerToken: 3, outputMicroUsdPerToken: 15 });

      const fromApi = await fingerprintFromApi(api, seeded);
      const fromDb = await fingerprintFromDatabase(pool, version);
      expect(diffFingerprints(fromApi, fromDb, { spend: true }).map(describeDifference)).toEqual([]);
      expect(fromDb.sha256).toBe(fromApi.sha256);
      const kinds = (k: string) => fromApi.records.filter((r) => r.kind === k).length;
      expect([kinds('user'), kinds('key'), kinds('provider'), kinds('route')]).toEqual([22, 22, 2, 2]);
      expect(kinds('budget')).toBe(version === 'v1.7.0' ? 16 : 22);
      expect(kinds('guardrail')).toBe(version === 'v1.9.0' ? 5 : 4);

      expect(spendOf(fromApi, 'bud-user-max-over')).toBe(1_200_000);
      expect(spendOf(fromApi, 'bud-user-zoe')).toBe(27_000);
      expect(spendOf(fromApi, 'bud-proj-acme-search')).toBe(27_000 + 13_500 + 15_000);
      if (version !== 'v1.7.0') {
        expect(spendOf(fromApi, 'bud-grp-acme-search-core')).toBe(27_000 + 13_500);
        expect(spendOf(fromApi, 'bud-org-initech')).toBe(3_840 + 78_000 + 800);
      }
      const { rows } = await pool.query<{ n: string; cost: string }>(
        `SELECT count(*) AS n, sum(cost_micro_usd) AS cost FROM usage WHERE created_at <= now()
           AND date_trunc('month', created_at AT TIME ZONE 'UTC') = date_trunc('month', now() AT TIME ZONE 'UTC')`,
      );
      expect(rows[0]).toEqual({
        n: '11',
        cost: String(9_600 + 17_400 + 13_500 + 15_000 + 3_900 + 1_200_000 + 3_840 + 78_000 + 800),
      });
    });
  }

  it('a prefixed run seeds beside existing tenants and deletes exactly what it created', async () => {
    const version = 'v1.8.0';
    const { pool, cp, api } = await platform(version, 'platform_prefixed');
    await using _cp = cp;
    await seedTenants({ api, version, db: pool, providerMockUrl });
    const before = await fingerprintFromDatabase(pool, version);

    const run = await seedTenants({ api, version, db: pool, providerMockUrl, prefix: 'r1a2b' });
    expect(run.load.map((l) => l.model)).toContain('r1a2b-coding-default');
    const mine = await fingerprintFromDatabase(pool, version, { prefix: 'r1a2b' });
    expect(diffFingerprints(await fingerprintFromApi(api, run), mine, { spend: true })).toEqual([]);
    expect(mine.records.filter((r) => r.kind === 'user')).toHaveLength(22);

    await deleteTenants({ api, seeded: run, db: pool });
    const after = await fingerprintFromDatabase(pool, version);
    expect(diffFingerprints(before, after, { spend: true }).map(describeDifference)).toEqual([]);
    expect(after.sha256).toBe(before.sha256);
  });
});
