import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { locatePgTools } from './pg-tools.ts';

const log = createLogger('db');

/** How often a restore that collided with a live session's locks is tried again (each try is atomic). */
const maxAttempts = 5;

const objectLine =
  /^\d+;\s+\d+\s+\d+\s+(?:TABLE(?! DATA)|MATERIALIZED VIEW(?! DATA)|VIEW|SEQUENCE(?! SET| OWNED)|FUNCTION|PROCEDURE|TYPE|DOMAIN|INDEX|CONSTRAINT|FK CONSTRAINT|TRIGGER)\s+(\S+)\s/;

/** The schemas a `-Fc` dump holds objects in (from `pg_restore -l`). */
export function dumpSchemas(toc: string): string[] {
  const schemas = new Set<string>();
  for (const line of toc.split('\n')) {
    // "<id>; <catalog oid> <oid> <TYPE> <schema> <name> <owner>"; a SCHEMA entry's schema column is "-". TYPE can
    // be several words ("TABLE DATA", "SEQUENCE OWNED BY"): only the types whose next word is the schema are read.
    const schema = /^\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)/.exec(line);
    if (schema) {
      schemas.add(schema[1]!);
      continue;
    }
    const object = objectLine.exec(line);
    if (object && object[1] !== '-') schemas.add(object[1]!);
  }
  return [...schemas].sort();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * What runs before the dump, in the same transaction: the other sessions of this user are ended (an operator
 * restores with the applications disconnected; replicas that reconnect wait on the locks below), and every
 * schema the dump holds is dropped whole, so that what the restore leaves is exactly the backup: a table a later
 * migration added (and its foreign keys into the restored tables) goes too, where `pg_restore --clean` would
 * drop only the dump's own objects and trip over it.
 */
export function restorePrelude(schemas: readonly string[], lockTimeoutSeconds = 10): string {
  const drops = schemas.map((s) => `DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE;`);
  // pg_dump never creates `public` (its script says "-- *not* creating schema, since initdb creates it" there),
  // even when its table of contents lists it: put it back empty for the dump's tables.
  const recreate = schemas.includes('public') ? ['CREATE SCHEMA public;'] : [];
  return [
    `SET lock_timeout = '${lockTimeoutSeconds}s';`,
    'SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity',
    '  WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = current_user;',
    ...drops,
    ...recreate,
  ].join('\n');
}

/** A failure that another try of the same atomic restore can get past: it lost a lock race to a live session. */
const collided = (stderr: string) => /deadlock detected|lock timeout|could not obtain lock/i.test(stderr);

/**
 * Restores a `pg_dump -Fc` file over the live database so that it holds exactly the backup: `pg_restore`'s SQL
 * piped into psql after the prelude above, in one transaction, so that a failure leaves the database as it was. A try that deadlocks with (or waits past the lock timeout for) a session of a replica still running is
 * rolled back whole by PostgreSQL and tried again, said in the log, up to 5 tries within the deadline.
 */
export async function restoreDump(o: { env: NodeJS.ProcessEnv; file: string; timeoutMs: number }): Promise<void> {
  const { pgRestore, psql } = await locatePgTools();
  const deadline = Date.now() + o.timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  const toc = await execa(pgRestore, ['-l', o.file], { env: o.env, timeout: left() }).catch((error) => {
    throw new StepFailedError(`restore: pg_restore -l failed (${stderrOf(error)})`, { cause: error });
  });
  const prelude = restorePrelude(dumpSchemas(toc.stdout));
  for (let attempt = 1; ; attempt++) {
    try {
      await restoreOnce(pgRestore, psql, prelude, o.env, o.file, left());
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
 * whole transaction back when psql disconnects. psql stops at its first error (ON_ERROR_STOP).
 */
async function restoreOnce(
  pgRestore: string,
  psql: string,
  prelude: string,
  env: NodeJS.ProcessEnv,
  file: string,
  timeoutMs: number,
): Promise<void> {
  const sql = execa(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    env,
    timeout: timeoutMs,
    stdin: 'pipe',
    stdout: 'ignore',
  });
  const dump = execa(pgRestore, ['--no-owner', '-f', '-', file], {
    env,
    timeout: timeoutMs,
    buffer: { stdout: false },
  });
  sql.stdin.on('error', () => undefined); // psql gone (it stopped at an error): its own exit says why
  sql.stdin.write(`BEGIN;\n${prelude}\n`);
  dump.stdout.pipe(sql.stdin, { end: false });
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

function stderrOf(error: unknown): string {
  const e = error as { stderr?: unknown; shortMessage?: string; message?: string };
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  return stderr || e.shortMessage || e.message || String(error);
}

const firstLine = (text: string) => text.split('\n').find((l) => l.includes('ERROR')) ?? text.split('\n')[0] ?? '';
