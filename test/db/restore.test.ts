import { mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTimeouts } from '../../src/config/schema.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { dumpSchemas, restorePrelude } from '../../src/db/restore.ts';
import { PlatformDatabase } from '../../src/targets/local/database-access.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const timeoutMs = defaultTimeouts.backupSeconds * 1000;

describe('the schemas of a dump (pg_restore -l)', () => {
  it("reads them from a real backup's table of contents (the reference platform's v1.8.0)", async () => {
    const toc = await readFile(path.join(here, 'fixtures/platform-v1.8.0-backup.toc'), 'utf8');
    expect(dumpSchemas(toc)).toEqual(['console', 'identity', 'public']);
    const prelude = restorePrelude(['console', 'identity', 'public']);
    expect(prelude).toContain('DROP SCHEMA IF EXISTS "public" CASCADE;\nCREATE SCHEMA public;');
    expect(prelude).toContain('pg_terminate_backend');
  });
});

describe('restore over a live database (embedded PostgreSQL 15, pg_restore | psql)', () => {
  let db: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let access: PlatformDatabase;
  let dir: string;
  let dump: string;

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

  const fresh = async () => {
    await access.query(
      'drop schema if exists public cascade; drop schema if exists extra cascade; create schema public',
    );
    await access.query('create table consumers (id int primary key, name text)');
    await access.query("insert into consumers values (1, 'kept')");
    await access.dump(dump, timeoutMs);
  };

  it('leaves exactly the backup: a table a later migration added, with a foreign key into it, is gone', async () => {
    await fresh();
    await access.query("update consumers set name = 'changed'");
    await access.query('create table labels (consumer int references consumers (id), label text)');
    await access.query("insert into labels values (1, 'new')");
    await access.restore(dump, timeoutMs);
    expect(await access.query('select name from consumers')).toEqual([{ name: 'kept' }]);
    expect(await access.query("select to_regclass('public.labels') as t")).toEqual([{ t: null }]);
  });

  it("ends a running replica's session that holds a lock on what it restores", async () => {
    await fresh();
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

  it('changes nothing when pg_restore cannot read the whole dump (a truncated file)', async () => {
    await fresh();
    await access.query("update consumers set name = 'live'");
    await access.query('create schema extra; create table extra.t (id int)');
    const broken = path.join(dir, 'truncated.dump');
    await rm(broken, { force: true });
    await (await import('node:fs/promises')).copyFile(dump, broken);
    await truncate(broken, (await stat(broken)).size - 16); // the table of contents reads; the data does not
    await expect(access.restore(broken, timeoutMs)).rejects.toThrow(
      /restore: .*pg_restore failed \(nothing restored\)|restore: psql failed/,
    );
    expect(await access.query('select name from consumers')).toEqual([{ name: 'live' }]);
    expect(await access.query("select to_regclass('extra.t') as t")).toEqual([{ t: 'extra.t' }]);
  });
});
