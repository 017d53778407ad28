/**
 * Seeds the tenants that one release knows through the configuration API, in dependency order
 * (organizations → projects → groups → users → keys → providers → routes → budgets → guardrails), then
 * writes the recorded history through the database. One API key per consumer; its secret stays in memory.
 */
import { randomBytes } from 'node:crypto';
import type { PlatformUrl } from '../common/addresses.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger, redact } from '../common/logger.ts';
import { type ConfigApiOptions, createConfigApi } from './config-api.ts';
import type { Queryable } from './database.ts';
import type { TenantFixture } from './fixture-schema.ts';
import { recordHistory } from './history.ts';
import { loadTenantFixture } from './load-fixture.ts';
import { resolvePlaceholders } from './placeholders.ts';
import { withPrefix } from './prefix.ts';
import { budgetHolds, scopeOf } from './scope.ts';
import type { SeededKey, SeededTenants, SeededUser } from './seeded.ts';
import { selectForVersion, type TenantSet } from './select.ts';

const log = createLogger('seed');

export interface SeedOptions {
  api: ConfigApiOptions;
  /** The release running on the target: only what it knows is seeded. */
  version: string;
  /** Needed when the fixture records history (spend seeded as usage). */
  db?: Queryable;
  /** Run prefix of every id (non-destructive cluster target), e.g. `r1a2b`. */
  prefix?: string;
  /**
   * Root URL of the provider mock as the platform's gateways reach it (`${providerMock}` in the fixture):
   * a platform URL, never the harness's (a gateway pod given 127.0.0.1 calls its own loopback).
   */
  providerMockUrl: PlatformUrl;
  /** Default: `fixtures/tenants/`. */
  fixture?: TenantFixture;
}

/** The tenant set that `seedTenants` would create: selected for the version, prefixed, placeholders resolved. */
export function planTenants(fixture: TenantFixture, options: Omit<SeedOptions, 'api' | 'db' | 'fixture'>): TenantSet {
  const set = withPrefix(selectForVersion(fixture, options.version), options.prefix);
  const values = { providerMock: options.providerMockUrl };
  return {
    ...set,
    providers: set.providers.map((p) => ({
      ...p,
      baseUrl: resolvePlaceholders(p.baseUrl, values, `provider ${p.id}`),
    })),
  };
}

export async function seedTenants(options: SeedOptions): Promise<SeededTenants> {
  const fixture = options.fixture ?? (await loadTenantFixture());
  const set = planTenants(fixture, options);
  const api = createConfigApi(options.api);
  const where = `seed ${options.version} at ${api.url}`;
  const create = async <T>(what: string, method: string, path: string, body: unknown): Promise<T> => {
    try {
      return await api.call<T>(method, path, body);
    } catch (cause) {
      throw new StepFailedError(`${where}: create ${what}: ${(cause as Error).message}`, { cause });
    }
  };
  if (!options.db && set.users.some((u) => u.history.length > 0)) {
    throw new StepFailedError(`${where}: the fixture records usage history, which needs database access (db)`);
  }
  log.info('seeding tenants', { version: set.version, prefix: options.prefix ?? null, users: set.users.length });

  for (const o of set.organizations) await create(`organization ${o.id}`, 'POST', '/api/v1/organizations', o);
  for (const p of set.projects) await create(`project ${p.id}`, 'POST', '/api/v1/projects', p);
  for (const g of set.groups) await create(`group ${g.id}`, 'POST', '/api/v1/groups', g);
  const users: SeededUser[] = [];
  for (const { history: _h, load: _l, ...user } of set.users) {
    const scope = scopeOf(set, user.id);
    if (!scope) throw new StepFailedError(`${where}: user ${user.id}: group ${user.groupId} is not in the set`);
    const answer = await create<{ consumer?: string }>(`user ${user.id}`, 'POST', '/api/v1/users', user);
    if (answer?.consumer !== undefined && answer.consumer !== scope.consumer) {
      throw new StepFailedError(
        `${where}: user ${user.id}: API says consumer ${answer.consumer}, not ${scope.consumer}`,
      );
    }
    users.push({ ...user, consumer: scope.consumer });
  }
  const keys: Record<string, SeededKey> = {};
  for (const user of users) {
    const name = 'upcert-load';
    const path = `/api/v1/users/${encodeURIComponent(user.id)}/keys`;
    const k = await create<{ id: string; key: string }>(`key of user ${user.id}`, 'POST', path, { name });
    if (typeof k?.key !== 'string' || typeof k.id !== 'string') {
      throw new StepFailedError(`${where}: create key of user ${user.id}: answer lacks id or key`);
    }
    redact(k.key);
    keys[user.consumer] = { id: k.id, userId: user.id, name, consumer: user.consumer, secret: k.key };
  }
  for (const p of set.providers) {
    const credential = `fake-${randomBytes(24).toString('base64url')}`;
    redact(credential);
    await create(`provider ${p.id}`, 'POST', '/api/v1/providers', { ...p, credential });
  }
  for (const r of set.routes) await create(`route ${r.id}`, 'POST', '/api/v1/routes', r);
  for (const b of set.budgets) await create(`budget ${b.id}`, 'POST', '/api/v1/budgets', b);
  for (const g of set.guardrails) await create(`guardrail ${g.id}`, 'POST', '/api/v1/guardrails', g);

  const history = [];
  for (const user of set.users) {
    const scope = scopeOf(set, user.id);
    if (!options.db || !scope || user.history.length === 0) continue;
    const budgets = set.budgets.filter((b) => budgetHolds(b, scope));
    const keyId = keys[scope.consumer]!.id;
    try {
      history.push(
        await recordHistory(options.db, { version: set.version, user, consumer: scope.consumer, keyId, budgets }),
      );
    } catch (cause) {
      throw new StepFailedError(`${where}: record history of ${scope.consumer}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  const prices = Object.fromEntries(
    set.routes.map((r) => [r.model, { ...set.providers.find((p) => p.id === r.providerId)!.prices }]),
  );
  const load = set.users.map((u) => {
    const key = Object.values(keys).find((k) => k.userId === u.id)!;
    return { consumer: key.consumer, userId: u.id, keyId: key.id, key: key.secret, ...u.load };
  });
  log.info('seeded tenants', { consumers: users.length, historyRows: history.reduce((s, h) => s + h.requests, 0) });
  return {
    version: set.version,
    prefix: options.prefix,
    records: {
      organizations: set.organizations,
      projects: set.projects,
      groups: set.groups,
      users,
      keys: Object.values(keys).map(({ id, userId, name }) => ({ id, userId, name })),
      providers: set.providers,
      routes: set.routes,
      budgets: set.budgets,
      guardrails: set.guardrails,
    },
    keys,
    load,
    prices,
    history,
  };
}
