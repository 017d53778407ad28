import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/common/errors.ts';
import { defaultTimeouts } from '../../../src/config/schema.ts';
import { startEmbeddedPostgres } from '../../../src/db/embedded-postgres.ts';
import { locatePgTools } from '../../../src/db/pg-tools.ts';
import { PlatformDatabase } from '../../../src/targets/local/database-access.ts';
import { accepts } from './process-tree.ts';

describe('embedded PostgreSQL', () => {
  it('runs PostgreSQL 15 with the application role and database, then leaves no dir or port behind', async () => {
    let dir = '';
    let port = 0;
    {
      await using db = await startEmbeddedPostgres({
        databasePassword: 'app-password-1',
        database: 'platform',
        user: 'platform',
      });
      dir = db.dir;
      port = db.port;
      const client = new pg.Client({ connectionString: db.connectionString });
      await client.connect();
      const { rows } = await client.query('select current_user, current_database(), current_setting($1) as v', [
        'server_version_num',
      ]);
      await client.end();
      expect(rows[0]).toMatchObject({ current_user: 'platform', current_database: 'platform' });
      expect(Math.floor(Number(rows[0].v) / 10000)).toBe(15);
      const owner = new pg.Client(db.superuser('platform'));
      await owner.connect();
      const own = await owner.query(
        "select pg_get_userbyid(datdba) as owner from pg_database where datname = 'platform'",
      );
      await owner.end();
      expect(own.rows[0].owner).toBe('platform');
    }
    expect(existsSync(dir)).toBe(false);
    expect(await accepts(port)).toBe(false);
  });

  it('dumps with pg_dump -Fc and restores with pg_restore', async () => {
    await using db = await startEmbeddedPostgres({ databasePassword: 'app-password-2' });
    await using access = new PlatformDatabase({ ...db, password: 'app-password-2' });
    await access.query('create table t (id int primary key, name text)');
    await access.query("insert into t values (1, 'kept')");
    const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-dump-test-'));
    try {
      await access.dump(path.join(dir, 'platform.dump'), defaultTimeouts.backupSeconds * 1000);
      await access.query("update t set name = 'changed'");
      await access.restore(path.join(dir, 'platform.dump'), defaultTimeouts.backupSeconds * 1000);
      expect(await access.query('select name from t')).toEqual([{ name: 'kept' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL client tools', () => {
  it('finds pg_dump, pg_restore and psql 15', async () => {
    const tools = await locatePgTools();
    expect(tools.pgDump).toMatch(/pg_dump$/);
  });

  it('names the package to install when they are missing', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'upcert-no-tools-'));
    try {
      const error = await locatePgTools([empty]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).fix).toBe('apt-get install -y postgresql-client-15');
      expect((error as Error).message).toContain('pg_dump 15 not found');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
