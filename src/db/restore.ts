import { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { escapeLiteral } from 'pg';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { locatePgTools, type PgTools } from './pg-tools.ts';

const log = createLogger('db');

/** How often a restore that collided with a live session's locks is tried again (each try is atomic). */
const maxAttempts = 5;
/** How long the prelude's statements wait for a lock before the try counts as collided. */
const defaultLockTimeoutSeconds = 10;

/** What a dump's table of contents (`pg_restore -l`) says the restore must know. */
export interface DumpContents {
  /** Every table of the dump, as [schema, name]. */
  tables: [string, string][];
  /** Schemas the dump holds objects in. */
  schemas: string[];
  /** Large objects: pg_restore's script commits them in transactions of its own (a restore could not be atomic). */
  largeObjects: boolean;
}

// "<id>; <catalog oid> <oid> <TYPE> <schema> <name> <owner>"; TYPE can be several words ("TABLE DATA",
// "SEQUENCE OWNED BY"): only the types whose next word is the schema are read.
const tableLine = /^\d+;\s+\d+\s+\d+\s+TABLE(?! DATA)\s+(\S+)\s+(\S+)\s/;
const objectLine =
  /^\d+;\s+\d+\s+\d+\s+(?:MATERIALIZED VIEW(?! DATA)|VIEW|SEQUENCE(?! SET| OWNED)|FUNCTION|PROCEDURE|TYPE|DOMAIN|INDEX|CONSTRAINT|FK CONSTRAINT|TRIGGER)\s+(\S+)\s/;
const schemaLine = /^\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)/;
const largeObjectLine = /^\d+;\s+\d+\s+\d+\s+(?:BLOBS|BLOB|LARGE OBJECT)\b/;

export function dumpContents(toc: string): DumpContents {
  const tables: [string, string][] = [];
  const schemas = new Set<string>();
  let largeObjects = false;
  for (const line of toc.split('\n')) {
    if (largeObjectLine.test(line)) largeObjects = true;
    const table = tableLine.exec(line);
    if (table) {
      tables.push([table[1]!, table[2]!]);
      schemas.add(table[1]!);
      continue;
    }
    const schema = schemaLine.exec(line) ?? objectLine.exec(line);
    if (schema && schema[1] !== '-') schemas.add(schema[1]!);
  }
  return { tables, schemas: [...schemas].sort(), largeObjects };
}

/**
 * What runs before pg_restore's script (`--clean --if-exists`: it drops each object of the dump, then creates it),
 * in the same transaction: the other sessions of this user are ended (an operator restores with the applications
 * disconnected; replicas that reconnect wait on the locks taken below), and every table in the dump's schemas that
 * the dump does not hold is dropped: a table a later migration added, whose foreign keys into the restored tables
 * would otherwise stop `--clean` from dropping them. Schemas, extensions and their owners stay as they are (a
 * database whose `public` belongs to `pg_database_owner` restores as before).
 */
export function restorePrelude(contents: DumpContents, lockTimeoutSeconds = defaultLockTimeoutSeconds): string {
  const schemas = contents.schemas.map(escapeLiteral).join(', ');
  const kept = contents.tables.map(([s, t]) => `(${escapeLiteral(s)}, ${escapeLiteral(t)})`).join(', ');
  const extra = [
    'DO $restore$ DECLARE t record; BEGIN',
    '  FOR t IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace',
    `    WHERE c.relkind IN ('r', 'p') AND n.nspname IN (${schemas})`,
    ...(kept ? [`      AND (n.nspname, c.relname) NOT IN (VALUES ${kept})`] : []),
    "  LOOP EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', t.nspname, t.relname); END LOOP;",
    'END $restore$;',
  ];
  return [
    `SET lock_timeout = '${lockTimeoutSeconds}s';`,
    'SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity',
    '  WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = current_user;',
    ...(contents.schemas.length > 0 ? extra : []),
  ].join('\n');
}

/** A failure that another try of the same atomic restore can get past: it lost a lock race to a live session. */
const collided = (stderr: string) => /deadlock detected|lock timeout|could not obtain lock/i.test(stderr);

export interface RestoreOptions {
  env: NodeJS.ProcessEnv;
  file: string;
  timeoutMs: number;
  /** How long any statement of the restore waits for a lock before the try counts as collided. */
  lockTimeoutSeconds?: number;
  /** The client tools (tests give a stand-in pg_restore); PostgreSQL 15's by default. */
  tools?: Pick<PgTools, 'pgRestore' | 'psql'>;
}

/**
 * Restores a `pg_dump -Fc` file over the live database so that it holds exactly the backup: the prelude above and
 * `pg_restore --clean`'s SQL piped into psql in one transaction, so that a failure leaves the database as it was.
 * A try that deadlocks with (or waits past the lock timeout for) a session of a replica still running is rolled
 * back whole by PostgreSQL and tried again, said in the log, up to 5 tries within the deadline.
 */
export async function restoreDump(o: RestoreOptions): Promise<void> {
  const { pgRestore, psql } = o.tools ?? (await locatePgTools());
  const deadline = Date.now() + o.timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  const toc = await execa(pgRestore, ['-l', o.file], { env: o.env, timeout: left() }).catch((error) => {
    throw new StepFailedError(`restore: pg_restore -l failed (${stderrOf(error)})`, { cause: error });
  });
  const contents = dumpContents(toc.stdout);
  if (contents.largeObjects) {
    throw new StepFailedError(
      `restore: ${o.file} holds large objects, which pg_restore's script commits on their own: the restore could not be undone if it failed (restore it with pg_restore --single-transaction by hand)`,
    );
  }
  const lockTimeout = o.lockTimeoutSeconds ?? defaultLockTimeoutSeconds;
  const prelude = restorePrelude(contents, lockTimeout);
  for (let attempt = 1; ; attempt++) {
    try {
      await restoreOnce({ pgRestore, psql }, prelude, lockTimeout, o.env, o.file, left());
      return;
    } catch (error) {
      const stderr = stderrOf(error);
      if (!collided(stderr) || attempt >= maxAttempts || Date.now() + 1000 >= deadline) {
        throw new StepFailedError(`restore: ${stderr}`, { cause: error });
      }
      log.warn(
        `restore: try ${attempt} collided with a session still running (${firstLine(stderr)}); nothing was changed, trying again (${attempt + 1} of ${maxAttempts})`,
      );
      await sleep(250 * attempt);
    }
  }
}

/**
 * One try: psql gets `BEGIN`, the prelude, pg_restore's SQL as it comes, and `COMMIT` only once pg_restore has
 * exited 0; when pg_restore fails (a truncated dump) psql's input ends without COMMIT and PostgreSQL rolls the
 * whole transaction back when psql disconnects. psql stops at its first error (ON_ERROR_STOP); pg_restore, whose
 * reader is then gone, is stopped with it rather than left blocked on a full pipe.
 */
async function restoreOnce(
  tools: Pick<PgTools, 'pgRestore' | 'psql'>,
  prelude: string,
  lockTimeoutSeconds: number,
  env: NodeJS.ProcessEnv,
  file: string,
  timeoutMs: number,
): Promise<void> {
  const sql = execa(tools.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    env,
    timeout: timeoutMs,
    stdin: 'pipe',
    stdout: 'ignore',
  });
  const dump = execa(tools.pgRestore, ['--clean', '--if-exists', '--no-owner', '-f', '-', file], {
    env,
    timeout: timeoutMs,
    buffer: { stdout: false },
  });
  const stopDump = () => {
    if (dump.exitCode !== null || dump.killed) return;
    // its output no longer has a reader: drain it, or the process (and its promise) would wait on a full pipe
    dump.stdout.unpipe();
    dump.stdout.resume();
    dump.kill('SIGTERM');
  };
  sql.then(stopDump, stopDump);
  sql.stdin.on('error', () => undefined); // psql gone (it stopped at an error): its own exit says why
  sql.stdin.write(`BEGIN;\n${prelude}\n`);
  dump.stdout.pipe(keepLockTimeout(lockTimeoutSeconds)).pipe(sql.stdin, { end: false });
  const [dumped] = await Promise.allSettled([dump]);
  if (dumped.status === 'fulfilled') sql.stdin.end('COMMIT;\n');
  else sql.stdin.end();
  const [applied] = await Promise.allSettled([sql]);
  // psql's error first: when it stops early, pg_restore fails only because its reader went away.
  if (applied.status === 'rejected')
    throw new Error(`psql failed: ${stderrOf(applied.reason)}`, { cause: applied.reason });
  if (dumped.status === 'rejected') {
    throw new Error(`pg_restore failed (nothing restored): ${stderrOf(dumped.reason)}`, { cause: dumped.reason });
  }
}

/**
 * pg_restore's script sets `lock_timeout = 0` (wait for ever) in its header: that setting becomes the restore's own, so that a session holding a lock the restore needs makes the try
 * fail (and be tried again) instead of waiting until the deadline.
 */
function keepLockTimeout(seconds: number): Transform {
  const from = Buffer.from('SET lock_timeout = 0;');
  const to = Buffer.from(`SET lock_timeout = '${seconds}s';`);
  const headerBytes = 64 * 1024;
  // the header until the setting is found (it may come in several chunks); null once it is passed on
  let header: Buffer | null = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (header === null) return done(null, chunk);
      header = Buffer.concat([header, chunk]);
      const at = header.indexOf(from);
      if (at < 0 && header.length < headerBytes) return done();
      const out = at < 0 ? header : Buffer.concat([header.subarray(0, at), to, header.subarray(at + from.length)]);
      header = null;
      done(null, out);
    },
    flush(done) {
      if (header?.length) this.push(header);
      done();
    },
  });
}

function stderrOf(error: unknown): string {
  const e = error as { stderr?: unknown; shortMessage?: string; message?: string };
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  return stderr || e.shortMessage || e.message || String(error);
}

const firstLine = (text: string) => text.split('\n').find((l) => l.includes('ERROR')) ?? text.split('\n')[0] ?? '';
