/**
 * The migration ledger reader against a real PostgreSQL 15 (embedded). node-pg-migrate is a dependency, so its
 * ledger is written by node-pg-migrate itself. golang-migrate (a Go binary), Flyway (a JVM tool) and Prisma
 * (its engines are downloaded from binaries.prisma.sh) cannot be installed on these machines: their ledgers are
 * created from each tool's documented DDL and filled with the rows the tool writes, as the test names say.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsComplete } from '../../src/checks/migrations-complete/check.ts';
import { type MigrationState, type Query, readMigrationState } from '../../src/db/migration-ledger.ts';
import { startTestDatabase, type TestDatabase } from '../support/postgres.ts';

let server: TestDatabase;
let pool: pg.Pool;
const query: Query = async (sql, params) => (await pool.query(sql, params)).rows;

beforeAll(async () => {
  server = await startTestDatabase();
  pool = server.pool;
});
afterAll(async () => {
  await server?.stop();
});

/** A fresh schema per test, so each ledger starts empty. */
async function schema(name: string): Promise<string> {
  await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`);
  return name;
}

function judge(expectedHead: string, state: MigrationState) {
  return migrationsComplete.judge({ expectedHead, state }, 'upgrade');
}

describe('node-pg-migrate ledger (written by node-pg-migrate 9 itself)', () => {
  async function migrate(s: string, names: string[], count: number): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-npm-migrations-'));
    try {
      for (const name of names) {
        await writeFile(
          path.join(dir, `${name}.sql`),
          `-- Up Migration\nCREATE TABLE ${s}.t_${name.replace(/\W/g, '_')} (id int);\n-- Down Migration\n`,
        );
      }
      await runner({
        databaseUrl: server.connectionString,
        dir,
        schema: s,
        migrationsTable: 'pgmigrations',
        direction: 'up',
        count,
        checkOrder: true,
        log: () => undefined,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const names = ['0001_init', '0002_budgets', '0003_labels'];

  it('reads the head and every applied step in order', async () => {
    const s = await schema('npm_head');
    await migrate(s, names, Number.POSITIVE_INFINITY);
    const state = await readMigrationState(query, 'node-pg-migrate', `${s}.pgmigrations`);
    expect(state.head).toBe('0003_labels');
    expect(state.entries.map((e) => [e.name, e.state])).toEqual(names.map((n) => [n, 'applied']));
    expect(state.entries.every((e) => e.appliedAt instanceof Date)).toBe(true);
    expect(judge('0003_labels', state).passed).toBe(true);
  });

  it('a head one short fails migrations-complete, naming both heads', async () => {
    const s = await schema('npm_short');
    await migrate(s, names, 2);
    const verdict = judge('0003_labels', await readMigrationState(query, 'node-pg-migrate', `${s}.pgmigrations`));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('migration head is 0002_budgets, expected 0003_labels');
  });
});

describe('golang-migrate ledger (table from its documented DDL: golang-migrate cannot be installed here)', () => {
  // database/postgres/postgres.go: one row, the current version and whether the last migration failed midway.
  const ddl = (t: string) =>
    `CREATE TABLE IF NOT EXISTS ${t} (version bigint not null primary key, dirty boolean not null)`;

  it('reads the version as the head', async () => {
    const t = `${await schema('golang_head')}.schema_migrations`;
    await pool.query(ddl(t));
    await pool.query(`INSERT INTO ${t} (version, dirty) VALUES (20240301120000, false)`);
    const state = await readMigrationState(query, 'golang-migrate', t);
    expect(state.head).toBe('20240301120000');
    expect(state.problems).toEqual([]);
    expect(judge('20240301120000', state).passed).toBe(true);
  });

  it('a dirty version fails migrations-complete as dirty', async () => {
    const t = `${await schema('golang_dirty')}.schema_migrations`;
    await pool.query(ddl(t));
    await pool.query(`INSERT INTO ${t} (version, dirty) VALUES (20240301120000, true)`);
    const state = await readMigrationState(query, 'golang-migrate', t);
    expect(state.problems).toEqual(['20240301120000: dirty']);
    const verdict = judge('20240301120000', state);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('20240301120000: dirty');
  });

  it('a head one short fails migrations-complete', async () => {
    const t = `${await schema('golang_short')}.schema_migrations`;
    await pool.query(ddl(t));
    await pool.query(`INSERT INTO ${t} (version, dirty) VALUES (2, false)`);
    const verdict = judge('3', await readMigrationState(query, 'golang-migrate', t));
    expect(verdict.summary).toBe('migration head is 2, expected 3');
  });
});

describe('Flyway ledger (table from its documented DDL: Flyway cannot be installed here)', () => {
  // flyway-database-postgresql: createMetaDataTable.sql
  const ddl = (t: string) => `
    CREATE TABLE ${t} (
      "installed_rank" INT NOT NULL,
      "version" VARCHAR(50),
      "description" VARCHAR(200) NOT NULL,
      "type" VARCHAR(20) NOT NULL,
      "script" VARCHAR(1000) NOT NULL,
      "checksum" INTEGER,
      "installed_by" VARCHAR(100) NOT NULL,
      "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
      "execution_time" INTEGER NOT NULL,
      "success" BOOLEAN NOT NULL
    );
    ALTER TABLE ${t} ADD CONSTRAINT "${t.split('.')[0]}_fsh_pk" PRIMARY KEY ("installed_rank");
    CREATE INDEX "${t.split('.')[0]}_fsh_s_idx" ON ${t} ("success");`;
  type Row = [rank: number, version: string | null, type: string, script: string, success: boolean];
  async function ledger(name: string, rows: Row[]): Promise<string> {
    const t = `${await schema(name)}.flyway_schema_history`;
    await pool.query(ddl(t));
    for (const [rank, version, type, script, success] of rows) {
      await pool.query(
        `INSERT INTO ${t} (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
         VALUES ($1, $2, $3, $4, $5, $6, 'platform', 12, $7)`,
        [
          rank,
          version,
          script.replace(/^V[\d.]+__|\.sql$/g, ''),
          type,
          script,
          type === 'SQL' ? 1_234_567 : null,
          success,
        ],
      );
    }
    return t;
  }
  const schemaMarker: Row = [0, null, 'SCHEMA', '"platform"', true];
  const applied: Row[] = [
    [1, '1', 'SQL', 'V1__init.sql', true],
    [2, '1.1', 'SQL', 'V1.1__budgets.sql', true],
    [3, '1.10', 'SQL', 'V1.10__labels.sql', true],
    // a repeatable migration (no version) re-applied after the last versioned one: not the head
    [4, null, 'SQL', 'R__views.sql', true],
  ];

  it('reads the highest applied version as the head; schema markers and repeatables are not versions', async () => {
    const t = await ledger('flyway_head', [schemaMarker, ...applied]);
    const state = await readMigrationState(query, 'flyway', t);
    expect(state.head).toBe('1.10');
    expect(state.problems).toEqual([]);
    expect(judge('1.10', state).passed).toBe(true);
  });

  it('a baselined database has the baseline as its head', async () => {
    const t = await ledger('flyway_baseline', [[1, '5', 'BASELINE', '<< Flyway Baseline >>', true]]);
    expect((await readMigrationState(query, 'flyway', t)).head).toBe('5');
  });

  it('a failed migration (success = false) fails migrations-complete', async () => {
    const t = await ledger('flyway_failed', [...applied.slice(0, 2), [3, '1.10', 'SQL', 'V1.10__labels.sql', false]]);
    const state = await readMigrationState(query, 'flyway', t);
    expect(state.problems).toEqual(['1.10: failed']);
    const verdict = judge('1.10', state);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('1.10: failed');
  });

  it('a head one short fails migrations-complete', async () => {
    const t = await ledger('flyway_short', applied.slice(0, 2));
    expect(judge('1.10', await readMigrationState(query, 'flyway', t)).summary).toBe(
      'migration head is 1.1, expected 1.10',
    );
  });
});

describe('Prisma ledger (table from its documented DDL: Prisma engines cannot be downloaded here)', () => {
  // prisma-engines, schema-engine: the _prisma_migrations table on PostgreSQL
  const ddl = (t: string) => `
    CREATE TABLE ${t} (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`;
  type Row = { name: string; minute: number; finished?: boolean; logs?: string; rolledBack?: boolean };
  async function ledger(s: string, rows: Row[]): Promise<string> {
    const t = `${await schema(s)}._prisma_migrations`;
    await pool.query(ddl(t));
    for (const r of rows) {
      await pool.query(
        `INSERT INTO ${t} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES (gen_random_uuid(), md5($1) || md5($1), $2, $1, $3, $4, $5, $6)`,
        [
          r.name,
          r.finished ? new Date(Date.UTC(2024, 0, 1, 0, r.minute, 30)) : null,
          r.logs ?? null,
          r.rolledBack ? new Date(Date.UTC(2024, 0, 1, 0, r.minute, 40)) : null,
          new Date(Date.UTC(2024, 0, 1, 0, r.minute)),
          r.finished ? 1 : 0,
        ],
      );
    }
    return t;
  }
  const init = { name: '20240101000000_init', minute: 1, finished: true };
  const budgets = { name: '20240201000000_budgets', minute: 2, finished: true };

  it('reads the last finished migration as the head', async () => {
    const state = await readMigrationState(query, 'prisma', await ledger('prisma_head', [init, budgets]));
    expect(state.head).toBe('20240201000000_budgets');
    expect(state.entries.map((e) => e.state)).toEqual(['applied', 'applied']);
    expect(judge('20240201000000_budgets', state).passed).toBe(true);
  });

  it('a failed migration (started, not finished, logs written) fails migrations-complete', async () => {
    const failed = { name: '20240201000000_budgets', minute: 2, logs: 'ERROR: column "spent" already exists' };
    const state = await readMigrationState(query, 'prisma', await ledger('prisma_failed', [init, failed]));
    expect(state.problems).toEqual(['20240201000000_budgets: failed']);
    expect(judge('20240201000000_budgets', state).passed).toBe(false);
  });

  it('a rolled-back migration is not applied: without a re-run the head is one short', async () => {
    const rolledBack = { name: '20240201000000_budgets', minute: 2, logs: 'ERROR: boom', rolledBack: true };
    const state = await readMigrationState(query, 'prisma', await ledger('prisma_rolled_back', [init, rolledBack]));
    expect(state.entries.map((e) => e.state)).toEqual(['applied', 'rolled-back']);
    expect(judge('20240201000000_budgets', state).summary).toBe(
      'migration head is 20240101000000_init, expected 20240201000000_budgets',
    );
  });

  it('a rolled-back migration applied again afterwards counts as applied', async () => {
    const rolledBack = { name: '20240201000000_budgets', minute: 2, logs: 'ERROR: boom', rolledBack: true };
    const rerun = { ...budgets, minute: 3 };
    const state = await readMigrationState(query, 'prisma', await ledger('prisma_rerun', [init, rolledBack, rerun]));
    expect(state.head).toBe('20240201000000_budgets');
    expect(judge('20240201000000_budgets', state).passed).toBe(true);
  });
});

describe('any ledger', () => {
  it('a missing ledger table is reported as a problem, not an SQL error', async () => {
    const s = await schema('no_ledger');
    const state = await readMigrationState(query, 'golang-migrate', `${s}.schema_migrations`);
    expect(state.head).toBeNull();
    expect(state.problems).toEqual([`ledger table ${s}.schema_migrations does not exist`]);
    expect(judge('1', state).passed).toBe(false);
  });
});
