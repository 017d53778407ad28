/**
 * Removes what a seed run created (non-destructive cluster target), in reverse dependency order. A record
 * that is already gone (404) counts as removed; every other failure is collected and reported together, so
 * that one stuck record does not leave the rest behind.
 */
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { ConfigApiError, type ConfigApiOptions, createConfigApi } from './config-api.ts';
import type { Queryable } from './database.ts';
import type { SeededTenants } from './seeded.ts';

const log = createLogger('seed');

export interface DeleteOptions {
  api: ConfigApiOptions;
  seeded: SeededTenants;
  /** When given, the usage rows of the seeded consumers (history and load) and their revoked keys go too. */
  db?: Queryable;
}

/**
 * The API revokes a key (it keeps the row, `revoked_at` set), and a user with key rows cannot be deleted;
 * with database access the revoked rows of the run's users go too.
 */
async function dropRevokedKeys(db: Queryable, users: { id: string }[], failures: string[]): Promise<void> {
  try {
    await db.query('DELETE FROM api_keys WHERE user_id = ANY($1::text[]) AND revoked_at IS NOT NULL', [
      users.map((u) => u.id),
    ]);
  } catch (error) {
    failures.push(`revoked keys of ${users.length} users: ${(error as Error).message}`);
  }
}

export async function deleteTenants(options: DeleteOptions): Promise<void> {
  const api = createConfigApi(options.api);
  const { records } = options.seeded;
  const failures: string[] = [];
  if (options.db) {
    const consumers = records.users.map((u) => u.consumer);
    try {
      await options.db.query('DELETE FROM usage WHERE consumer = ANY($1::text[])', [consumers]);
    } catch (error) {
      failures.push(`usage of ${consumers.length} consumers: ${(error as Error).message}`);
    }
  }
  const steps: [string, string, { id: string }[]][] = [
    ['guardrail', '/api/v1/guardrails', records.guardrails],
    ['budget', '/api/v1/budgets', records.budgets],
    ['route', '/api/v1/routes', records.routes],
    ['provider', '/api/v1/providers', records.providers],
    ['key', '/api/v1/keys', records.keys],
    ['user', '/api/v1/users', records.users],
    ['group', '/api/v1/groups', records.groups],
    ['project', '/api/v1/projects', records.projects],
    ['organization', '/api/v1/organizations', records.organizations],
  ];
  let removed = 0;
  for (const [kind, collection, list] of steps) {
    if (kind === 'user' && options.db) await dropRevokedKeys(options.db, list, failures);
    for (const { id } of list) {
      try {
        await api.call('DELETE', `${collection}/${encodeURIComponent(id)}`);
        removed++;
      } catch (error) {
        if (error instanceof ConfigApiError && error.status === 404) continue;
        failures.push(`${kind} ${id}: ${(error as Error).message}`);
      }
    }
  }
  log.info('deleted seeded tenants', { removed, failed: failures.length });
  if (failures.length > 0) {
    throw new StepFailedError(`delete seeded tenants at ${api.url}: ${failures.length} failed: ${failures.join('; ')}`);
  }
}
