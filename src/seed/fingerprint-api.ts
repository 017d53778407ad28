/**
 * The tenant fingerprint as the configuration API shows it. Keys carry the SHA-256 of the secret the run
 * holds (the API never returns it), so that API and database fingerprints compare; a key the run did not
 * create has `hash: null`.
 */
import { createHash } from 'node:crypto';
import { type ConfigApi, type ConfigApiOptions, createConfigApi } from './config-api.ts';
import {
  type Fingerprint,
  type FingerprintKind,
  type FingerprintRecord,
  fingerprintRecord,
  inRun,
  makeFingerprint,
} from './fingerprint-record.ts';
import type { SeededTenants } from './seeded.ts';

type Row = Record<string, unknown> & { id: string };

const collections: [FingerprintKind, string][] = [
  ['organization', '/api/v1/organizations'],
  ['project', '/api/v1/projects'],
  ['group', '/api/v1/groups'],
  ['user', '/api/v1/users'],
  ['provider', '/api/v1/providers'],
  ['route', '/api/v1/routes'],
  ['budget', '/api/v1/budgets'],
  ['guardrail', '/api/v1/guardrails'],
];

async function list(api: ConfigApi, path: string): Promise<Row[]> {
  const answer = await api.call<unknown>('GET', path);
  const rows = Array.isArray(answer) ? answer : (answer as { items?: unknown })?.items;
  if (!Array.isArray(rows)) throw new Error(`fingerprint from API: GET ${path} did not answer a list`);
  return rows as Row[];
}

/**
 * @param version the release whose fields are compared (default: the one the tenants were seeded on, so that
 *   fields a later release adds with a default do not count as changes).
 */
export async function fingerprintFromApi(
  api: ConfigApi | ConfigApiOptions,
  seeded: SeededTenants,
  version: string = seeded.version,
): Promise<Fingerprint> {
  const client = 'call' in api ? api : createConfigApi(api);
  const mine = inRun(seeded.prefix);
  const hashes = new Map(
    Object.values(seeded.keys).map((k) => [k.id, createHash('sha256').update(k.secret).digest('hex')]),
  );
  const records: FingerprintRecord[] = [];
  for (const [kind, path] of collections) {
    for (const row of (await list(client, path)).filter((r) => mine(r.id))) {
      const spent = kind === 'budget' ? Number(row.spentMicroUsd) : undefined;
      records.push(fingerprintRecord(kind, row.id, row, version, spent));
      if (kind !== 'user') continue;
      const keys = await list(client, `/api/v1/users/${encodeURIComponent(row.id)}/keys`);
      for (const key of keys.filter((k) => !k.revokedAt)) {
        const raw = { userId: row.id, name: key.name, hash: hashes.get(key.id) ?? null };
        records.push(fingerprintRecord('key', key.id, raw, version));
      }
    }
  }
  return makeFingerprint('api', version, records);
}
