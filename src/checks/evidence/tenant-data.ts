import {
  type ConfigApiOptions,
  fingerprintFromApi,
  fingerprintFromDatabase,
  type Queryable,
} from '../../seed/index.ts';
import { safetyLimitsOf } from '../../targets/safety.ts';
import type { InstalledPlatform } from '../../targets/target.ts';
import type { RunState } from '../run-state.ts';

/** The platform's database in the shape the seed and fingerprint modules query. */
export function queryable(platform: InstalledPlatform): Queryable {
  return { query: async (sql: string, params?: unknown[]) => ({ rows: await platform.database.query(sql, params) }) };
}

/** The platform's configuration API, as the admin. */
export function apiOf(run: RunState): ConfigApiOptions & { timeoutMs: number } {
  const platform = run.requirePlatform();
  const timeoutMs = run.config.timeouts.requestMs;
  const guard = safetyLimitsOf(platform)?.apiGuard;
  return {
    url: platform.endpoints.controlPlane,
    adminToken: platform.secrets.adminToken,
    timeoutMs,
    ...(guard ? { guard } : {}),
  };
}

/** Fingerprints of the seeded tenants now, from the API and from the database. */
export async function fingerprints(run: RunState) {
  const seeded = run.requireSeeded();
  const platform = run.requirePlatform();
  const [api, database] = await Promise.all([
    fingerprintFromApi(apiOf(run), seeded, seeded.version),
    fingerprintFromDatabase(queryable(platform), seeded.version),
  ]);
  return { api, database };
}
