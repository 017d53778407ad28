import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTimeouts } from '../../src/config/schema.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { locatePgTools } from '../../src/db/pg-tools.ts';
import { dumpContents, restoreDump, restorePrelude } from '../../src/db/restore.ts';
import { PlatformDatabase } from '../../src/targets/local/database-access.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const timeoutMs = defaultTimeouts.backupSeconds * 1000;

describe('what a dump holds (pg_restore -l)', () => {
  it("reads the tables and schemas of a real backup's table of contents (the reference platform's v1.8.0)", async () => {
    const toc = await readFile(path.join(here, 'fixtures/platform-v1.8.0-backup.toc'), 'utf8');
    const contents = dumpContents(toc);
    expect(contents.schemas).toEqual(['console', 'identity', 'public']);
    expect(contents.largeObjects).toBe(false);
    expect(contents.tables).toContainEqual(['public', 'budgets']);
    expect(contents.tables).toContainEqual(['console', 'sessions']);
    expect(contents.tables).not.toContainEqual(['public', 'audit_log_id_seq']); // a sequence, not a table
    const prelude = restorePrelude(contents);
    expect(prelude).toContain("n.nspname IN ('console', 'identity', 'public')");
    expect(prelude).toContain("('public', 'budgets')");
    expect(prelude).toContain('pg_terminate_backend');
  });
});

describe('restore over a live database (embedded PostgreSQL 15, pg_restore | psql)', () => {
  let db: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let access: PlatformDatabase;
  let dir: string;
  let dump: string;
  const env = () => ({
    ...process.env,
    PGHOST: db.host,
    PGPORT: String(db.port),
    PGUSER: 'platform',
    PGPASSWORD: 'restore-password',
    PGDATABASE: 'platform',
  });
  /** A session of another role (the superuser): the restore cannot end it, only wait for its locks. */
  const otherRole = async () => {
    const client = new pg.Client(db.superuser('platform'));
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    db = await startEmbeddedPostgres({ databasePassword: 'restore-password', database: 'platform', user: 'platform' });
    access = new PlatformDatabase({ ...db, password: 'restore-password' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-restore-test-'));
    dump = path.join(dir, 'platform.dump');
  });
  afterAll(async () => {
    await access?.close();
    await db?.[Symbol.asyncDispose]();
    await rm(dir, { recursive: true, force: true });
  });

  /** The backup: `consumers` with one row 'kept' and `rows` rows of 1 KB (a dump of the size a load run leaves). */
  const backup = async (rows = 0) => {
    await access.query('drop table if exists labels, half_restored, consumers, usage cascade');
    await access.query('create table consumers (id int primary key, name text)');
    await access.query("insert into consumers values (1, 'kept')");
    await access.query('create table usage (id int, note text)');
    if (rows > 0)
      await access.query('insert into usage select g, repeat(md5(g::text), 32) from generate_series(1, $1) g', [rows]);
    await access.dump(dump, timeoutMs);
  };

  it('leaves exactly the backup: a table a later migration added, with a foreign key into it, is gone', async () => {
    await backup();
    await access.query("update consumers set name = 'changed'");
    await access.query('create table labels (consumer int references consumers (id), label text)');
    await access.query("insert into labels values (1, 'new')");
    await access.restore(dump, timeoutMs);
    expect(await access.query('select name from consumers')).toEqual([{ name: 'kept' }]);
    expect(await access.query("select to_regclass('public.labels') as t")).toEqual([{ t: null }]);
  });

  it("ends a running replica's session (same role) that holds a lock on what it restores", async () => {
    await backup();
    const replica = new pg.Client({ connectionString: access.connectionString });
    replica.on('error', () => undefined);
    await replica.connect();
    await replica.query('begin');
    await replica.query("update consumers set name = 'in flight'"); // row lock, idle in transaction
    const started = Date.now();
    await access.restore(dump, timeoutMs);
    expect(Date.now() - started).toBeLessThan(10_000); // not the lock timeout
    await expect(replica.query('select 1')).rejects.toThrow();
    await replica.end().catch(() => undefined);
    expect(await access.query('select name from consumers')).toEqual([{ name: 'kept' }]);
  });

  it('commits nothing when pg_restore fails after writing part of its script (stand-in pg_restore)', async () => {
    await backup();
    await access.query("update consumers set name = 'live'");
    const { pgRestore, psql } = await locatePgTools();
    const standIn = path.join(here, 'support', 'stand-in-pg-restore.mjs');
    const failing = restoreDump({
      env: { ...env(), REAL_PG_RESTORE: pgRestore },
      file: dump,
      timeoutMs,
      tools: { pgRestore: standIn, psql },
    });
    await expect(failing).rejects.toThrow(/pg_restore failed \(nothing restored\): .*end of file/);
    expect(await access.query("select to_regclass('public.half_restored') as t")).toEqual([{ t: null }]);
    expect(await access.query('select name from consumers')).toEqual([{ name: 'live' }]);
  });

  it('a lock it cannot end fails each try at the lock timeout, not at the deadline, even with a 2 MB dump', async () => {
    await backup(2000);
    const other = await otherRole();
    try {
      await other.query('begin');
      await other.query('lock table consumers in access exclusive mode');
      const started = Date.now();
      const error = await restoreDump({ env: env(), file: dump, timeoutMs: 60_000, lockTimeoutSeconds: 1 }).catch(
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/restore: .*lock timeout/);
      // five tries of ~1 s and their back-off: nowhere near the 60 s deadline a blocked pg_restore would reach
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await other.end();
    }
    expect(await access.query('select count(*)::int as n from usage')).toEqual([{ n: 2000 }]);
  });

  it('tries again, whole, when a try collided, and succeeds once the lock is gone', async () => {
    await backup();
    await access.query("update consumers set name = 'changed'");
    const other = await otherRole();
    await other.query('begin');
    await other.query('lock table consumers in access exclusive mode');
    setTimeout(() => void other.query('commit').then(() => other.end()), 1500);
    await restoreDump({ env: env(), file: dump, timeoutMs: 60_000, lockTimeoutSeconds: 1 });
    expect(await access.query('select name from consumers')).toEqual([{ name: 'kept' }]);
  });

  it('refuses a dump with large objects (pg_restore commits them on its own: not atomic)', async () => {
    await backup();
    await access.query("select lo_from_bytea(0, 'blob'::bytea)");
    const withBlob = path.join(dir, 'blob.dump');
    await access.dump(withBlob, timeoutMs);
    await access.query('select lo_unlink(oid) from pg_largeobject_metadata');
    await expect(access.restore(withBlob, timeoutMs)).rejects.toThrow(/holds large objects/);
  });
});
