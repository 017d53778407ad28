/**
 * The configuration-API writes of a cluster run are the plan's: the tenants are seeded under the run prefix into
 * a real control plane (the reference platform's, from source, on embedded PostgreSQL) through a recording proxy
 * on loopback; config-live's own tenant is made, changed and removed as its session does; the tenants are removed.
 * The client is held to the plan as a run's is (one `ApiWriteGuard` shared by every client): every write the
 * proxy saw is one the plan lists (`tenantPlan`, the code `--plan` prints from), every record the plan names was
 * written and removed, nothing of the run is left, and a write outside the plan (another tenant's record, a key or
 * a guardrail the run did not create) is refused before it is sent.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProbeTenant } from '../../../src/checks/config-live/probe-tenant.ts';
import { platformUrl } from '../../../src/common/addresses.ts';
import { ApiWriteGuard, isApiWrite, plannedApiWrite, probeTenantBase } from '../../../src/seed/api-writes.ts';
import { createConfigApi, UnplannedApiWriteError } from '../../../src/seed/config-api.ts';
import { deleteTenants } from '../../../src/seed/delete.ts';
import { loadTenantFixture } from '../../../src/seed/load-fixture.ts';
import { planTenants, seedTenants } from '../../../src/seed/seed.ts';
import { tenantPlan } from '../../../src/targets/cluster/cluster-plan.ts';
import { runPrefix } from '../../../src/targets/cluster/guards.ts';
import { type ComponentProcess, startReadyComponent, testSecrets } from '../../support/platform.ts';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.ts';

const version = 'v1.7.0';
const prefix = runPrefix(`20261202-210000-${version}-v1.8.0`);
const providerMockUrl = platformUrl('http://127.0.0.1:9');
const secrets = testSecrets(randomBytes(12).toString('hex'));

interface Seen {
  method: string;
  path: string;
  body: unknown;
}

/** A recording reverse proxy on loopback in front of the control plane: every call, then forwarded. */
async function recordingProxy(upstream: string) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method!, path: req.url!, body: text ? JSON.parse(text) : undefined });
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: text || undefined,
      signal: AbortSignal.timeout(10_000),
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let db: TestDatabase | undefined;
let cp: ComponentProcess | undefined;
let pool: Awaited<ReturnType<TestDatabase['createDatabase']>>;
let proxy: Awaited<ReturnType<typeof recordingProxy>> | undefined;

describe(`configuration-API writes of a cluster run against the plan (control plane ${version}, prefix ${prefix})`, () => {
  beforeAll(async () => {
    db = await startTestDatabase({ password: secrets.databasePassword });
    pool = await db.createDatabase('tenant_writes');
    cp = await startReadyComponent('control-plane', { version, db, database: 'tenant_writes', secrets });
    proxy = await recordingProxy(cp.url);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await cp?.stop('SIGTERM');
    await db?.[Symbol.asyncDispose]();
  }, 60_000);

  test('seed, config-live and removal write only what the plan lists, and leave nothing of the run', async () => {
    const set = planTenants(await loadTenantFixture(), { version, prefix, providerMockUrl });
    const plan = tenantPlan(set, prefix, false);
    const options = { url: proxy!.url, adminToken: secrets.adminToken, guard: new ApiWriteGuard(plan.api) };

    const seeded = await seedTenants({ api: options, version, db: pool, prefix, providerMockUrl });
    // config-live in the upgrade phase, as its session makes, changes and removes its tenant
    const api = createConfigApi(options);
    const tenant = new ProbeTenant(api, 'upgrade', prefix);
    await tenant.create(seeded.records.providers[0]!.id, 'live-a');
    const first = await tenant.addConsumer('first', 1_000_000);
    await tenant.addGuardrail(`mid${randomBytes(3).toString('hex')}`);
    await tenant.addConsumer('second', 1_000_000);
    await api.call('PATCH', `/api/v1/routes/${tenant.records.routes[0]!.id}`, { upstreamModel: 'live-b' });
    await api.call('PATCH', `/api/v1/budgets/${tenant.records.budgets[1]!.id}`, { limitMicroUsd: 0 });
    await api.call('DELETE', `/api/v1/keys/${first.keyId}`);
    await tenant.remove(pool, options);
    await deleteTenants({ api: options, seeded, db: pool });

    const writes = proxy!.seen.filter((s) => isApiWrite(s.method));
    // the guard let each through (it refuses before sending); each names a planned write
    const unplanned = writes.filter((w) => !plannedApiWrite(plan.api, w.method, w.path, w.body));
    expect(unplanned.map((w) => `${w.method} ${w.path}`)).toEqual([]);
    expect(writes.filter((w) => w.method === 'DELETE' && w.path.startsWith('/api/v1/keys/')).length).toBeGreaterThan(
      set.users.length,
    );
    expect(writes.length).toBeGreaterThan(plan.ids.length * 2);
    // every record the plan names was created and removed
    const created = new Set(writes.filter((w) => w.method === 'POST').map((w) => (w.body as { id?: string }).id));
    const removed = new Set(writes.filter((w) => w.method === 'DELETE').map((w) => w.path.split('/').pop()));
    expect(plan.ids.filter((id) => !created.has(id) || !removed.has(id))).toEqual([]);
    expect(tenant.id).toBe(probeTenantBase('upgrade', prefix));

    // nothing of the run is left: no record whose id names the prefix
    for (const collection of ['organizations', 'projects', 'groups', 'users', 'providers', 'routes', 'budgets']) {
      const left = (await api.call<{ id: string }[]>('GET', `/api/v1/${collection}`)).filter((r) =>
        r.id.includes(prefix),
      );
      expect(left, collection).toEqual([]);
    }
    const usage = await pool.query('SELECT count(*)::int AS n FROM usage WHERE consumer LIKE $1', [`%${prefix}%`]);
    expect(usage.rows[0]).toEqual({ n: 0 });
  }, 120_000);

  test('given the plan, the client refuses a write it does not list before sending it', async () => {
    const plan = tenantPlan(
      planTenants(await loadTenantFixture(), { version, prefix, providerMockUrl }),
      prefix,
      false,
    );
    const api = createConfigApi({
      url: proxy!.url,
      adminToken: secrets.adminToken,
      guard: new ApiWriteGuard(plan.api),
    });
    const before = proxy!.seen.length;
    // records already on the shared platform, not the run's own: a tenant, a key, a guardrail
    await expect(api.call('DELETE', '/api/v1/organizations/acme')).rejects.toBeInstanceOf(UnplannedApiWriteError);
    await expect(api.call('POST', '/api/v1/organizations', { id: 'someone-elses-org', name: 'x' })).rejects.toThrow(
      /refused: POST \/api\/v1\/organizations writes to the platform's configuration API/,
    );
    await expect(api.call('DELETE', '/api/v1/keys/key-of-someone-else')).rejects.toBeInstanceOf(UnplannedApiWriteError);
    await expect(api.call('DELETE', '/api/v1/guardrails/their-rule')).rejects.toBeInstanceOf(UnplannedApiWriteError);
    expect(proxy!.seen.length).toBe(before);
    // reads are never held; a planned write goes through
    await api.call('GET', '/api/v1/organizations');
    await api.call('POST', '/api/v1/organizations', { id: `${prefix}-acme`, name: 'Acme' });
    await api.call('DELETE', `/api/v1/organizations/${prefix}-acme`);
    expect(proxy!.seen.slice(before).map((s) => s.method)).toEqual(['GET', 'POST', 'DELETE']);
  }, 60_000);
});
