import type { migrationLedgerKinds } from '../release/manifest.ts';

export type MigrationLedgerKind = (typeof migrationLedgerKinds)[number];
export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** One applied (or attempted) migration, whatever tool wrote it. */
export interface MigrationEntry {
  name: string;
  appliedAt: Date | null;
  state: 'applied' | 'failed' | 'dirty' | 'pending' | 'rolled-back';
}

/** The state of a migration ledger as the checks see it. */
export interface MigrationState {
  kind: MigrationLedgerKind;
  table: string;
  head: string | null;
  entries: MigrationEntry[];
  problems: string[];
}

function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/**
 * Reads the migration ledger a release names, in the format of the tool that wrote it:
 * node-pg-migrate (`pgmigrations`: id, name, run_on), golang-migrate (`schema_migrations`: version, dirty),
 * Flyway (`flyway_schema_history`: installed_rank, version, script, success, installed_on) and Prisma
 * (`_prisma_migrations`: migration_name, started_at, finished_at, rolled_back_at, logs).
 */
export async function readMigrationState(
  query: Query,
  kind: MigrationLedgerKind,
  table: string,
): Promise<MigrationState> {
  const t = quoteTable(table);
  const [found] = await query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [t]);
  if (!found?.exists)
    return { kind, table, head: null, entries: [], problems: [`ledger table ${table} does not exist`] };
  const entries = await readers[kind](query, t);
  const problems = entries
    .filter((e) => e.state === 'failed' || e.state === 'dirty' || e.state === 'pending')
    .map((e) => `${e.name}: ${e.state}`);
  const applied = entries.filter((e) => e.state === 'applied' && e.versioned !== false);
  const head = kind === 'flyway' ? highestVersion(applied.map((e) => e.name)) : (applied.at(-1)?.name ?? null);
  return { kind, table, head, entries: entries.map(({ versioned: _, ...e }) => e), problems };
}

/** Flyway orders versions by their dot-separated numeric parts (1.10 after 1.9), not as text. */
function highestVersion(versions: string[]): string | null {
  const parts = (v: string) => v.split(/[._]/).map(BigInt);
  const newer = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? 0n) - (y[i] ?? 0n);
      if (d !== 0n) return d > 0n;
    }
    return false;
  };
  return versions.reduce<string | null>((best, v) => (best === null || newer(v, best) ? v : best), null);
}

/** `versioned: false` marks entries that are no step towards a head (Flyway's repeatable migrations). */
type ReadEntry = MigrationEntry & { versioned?: boolean };

const readers: Record<MigrationLedgerKind, (query: Query, table: string) => Promise<ReadEntry[]>> = {
  'node-pg-migrate': async (query, table) => {
    const rows = await query<{ name: string; run_on: Date }>(
      // run_on is a timestamp without time zone written with now(): read it in the session's zone
      `SELECT name, run_on AT TIME ZONE current_setting('TimeZone') AS run_on FROM ${table} ORDER BY id`,
    );
    return rows.map((r) => ({ name: r.name, appliedAt: r.run_on, state: 'applied' as const }));
  },
  'golang-migrate': async (query, table) => {
    // golang-migrate keeps a single row: the current version and whether the last migration left it dirty.
    const rows = await query<{ version: string | number; dirty: boolean }>(`SELECT version, dirty FROM ${table}`);
    return rows.map((r) => ({ name: String(r.version), appliedAt: null, state: r.dirty ? 'dirty' : 'applied' }));
  },
  flyway: async (query, table) => {
    // SCHEMA (schema creation) and DELETE (repair) rows are markers, not migrations; a BASELINE row is the
    // version the database was baselined at, so it counts towards the head. Repeatables have no version.
    const rows = await query<{ version: string | null; script: string; success: boolean; installed_on: Date }>(
      `SELECT version, script, success, installed_on AT TIME ZONE current_setting('TimeZone') AS installed_on FROM ${table} WHERE type NOT IN ('SCHEMA', 'DELETE') ORDER BY installed_rank`,
    );
    return rows.map((r) => ({
      name: r.version ?? r.script,
      appliedAt: r.installed_on,
      state: r.success ? 'applied' : 'failed',
      versioned: r.version !== null,
    }));
  },
  prisma: async (query, table) => {
    const rows = await query<{
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
    }>(`SELECT migration_name, finished_at, rolled_back_at, logs FROM ${table} ORDER BY started_at, migration_name`);
    return rows.map((r) => ({
      name: r.migration_name,
      appliedAt: r.finished_at,
      state: r.rolled_back_at ? 'rolled-back' : r.finished_at ? 'applied' : r.logs ? 'failed' : 'pending',
    }));
  },
};
