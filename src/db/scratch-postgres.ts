import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { EnvironmentError, StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { locatePgTools } from './pg-tools.ts';

const run = promisify(execFile);
const log = createLogger('scratch-postgres');

/** A scratch PostgreSQL holding a restored backup: queried like the live one, then thrown away. */
export interface ScratchRestore extends AsyncDisposable {
  /** what it is, for the evidence: `testcontainers local/postgres:15` or `embedded PostgreSQL 15`. */
  description: string;
  // biome-ignore lint/suspicious/noExplicitAny: rows are shaped by each query
  query<R = any>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface ScratchOptions {
  provider: 'auto' | 'docker' | 'embedded';
  image: string;
  timeoutMs: number;
}

interface Server {
  description: string;
  connection: pg.ClientConfig & { host: string; port: number; user: string; password: string; database: string };
  stop(): Promise<void>;
}

/**
 * testcontainers is a devDependency (with its Docker client it weighs more than the rest of upcert): loaded
 * only for a restore into a container, with the command that gets it when it is missing.
 */
async function testcontainers() {
  try {
    return { ...(await import('testcontainers')), ...(await import('@testcontainers/postgresql')) };
  } catch (error) {
    throw new EnvironmentError(
      'scratch PostgreSQL: testcontainers is not installed (scratchPostgres.provider: docker)',
      {
        fix: 'npm install testcontainers@11.14 @testcontainers/postgresql@11.14, or set scratchPostgres.provider: embedded',
        cause: error,
      },
    );
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await testcontainers();
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function dockerServer(image: string, password: string): Promise<Server> {
  const { PostgreSqlContainer } = await testcontainers();
  const container = await new PostgreSqlContainer(image)
    .withDatabase('platform')
    .withUsername('platform')
    .withPassword(password)
    .withLabels({ 'org.upcert': 'scratch' })
    .start();
  return {
    description: `testcontainers ${image}`,
    connection: {
      host: container.getHost(),
      port: container.getPort(),
      user: 'platform',
      password,
      database: 'platform',
    },
    stop: async () => {
      await container.stop({ remove: true, removeVolumes: true });
    },
  };
}

async function embeddedServer(password: string): Promise<Server> {
  const started = await startEmbeddedPostgres({ databasePassword: password, log: log.child('embedded') });
  return {
    description: 'embedded PostgreSQL 15',
    connection: { host: started.host, port: started.port, user: started.user, password, database: started.database },
    stop: () => started.stop(),
  };
}

/**
 * Restores a `pg_dump -Fc` backup into a scratch PostgreSQL: a container through @testcontainers/postgresql
 * when a Docker engine answers (or `provider: docker`, which then requires one), embedded PostgreSQL
 * otherwise. pg_restore 15 runs on the host, as an operator's restore would.
 */
export async function restoreIntoScratch(dumpFile: string, opts: ScratchOptions): Promise<ScratchRestore> {
  const password = randomBytes(12).toString('hex');
  const useDocker = opts.provider === 'docker' || (opts.provider === 'auto' && (await dockerAnswers()));
  if (opts.provider === 'docker') await testcontainers(); // missing: says so, not "no Docker engine"
  if (opts.provider === 'docker' && !(await dockerAnswers())) {
    throw new EnvironmentError('scratch PostgreSQL: no Docker engine answers (scratchPostgres.provider: docker)', {
      fix: 'start a Docker engine (Debian: apt-get install -y docker.io && dockerd &), or set scratchPostgres.provider: embedded',
    });
  }
  let server: Server;
  if (useDocker && opts.provider === 'auto') {
    // auto: a Docker engine answers, but the image may be neither present nor pullable (no registry)
    server = await dockerServer(opts.image, password).catch(async (error) => {
      log.warn(
        `scratch PostgreSQL: ${opts.image} through Docker failed (${(error as Error).message.split('\n')[0]}); using embedded PostgreSQL`,
      );
      return embeddedServer(password);
    });
  } else {
    server = useDocker ? await dockerServer(opts.image, password) : await embeddedServer(password);
  }
  const pool = new pg.Pool({ ...server.connection, max: 2 });
  pool.on('error', () => undefined);
  const dispose = async () => {
    await pool.end().catch(() => undefined);
    await server.stop();
  };
  try {
    const { pgRestore } = await locatePgTools();
    const c = server.connection;
    await run(pgRestore, ['--no-owner', '--exit-on-error', '-d', c.database, dumpFile], {
      env: { ...process.env, PGHOST: c.host, PGPORT: String(c.port), PGUSER: c.user, PGPASSWORD: c.password },
      timeout: opts.timeoutMs,
    }).catch((error) => {
      throw new StepFailedError(
        `restore into scratch (${server.description}): pg_restore failed (${(error as { stderr?: string }).stderr?.trim() || error})`,
        { cause: error },
      );
    });
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
  return {
    description: server.description,
    query: async (sql, params) => ({ rows: (await pool.query(sql, params as unknown[] | undefined)).rows }),
    [Symbol.asyncDispose]: dispose,
  };
}
