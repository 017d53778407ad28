import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EnvironmentError } from '../common/errors.ts';

/** PostgreSQL 15 client tools (one major everywhere: a newer pg_dump writes dumps an older pg_restore refuses). */
export interface PgTools {
  pgDump: string;
  pgRestore: string;
  psql: string;
}

const major = 15;
const toolNames = { pgDump: 'pg_dump', pgRestore: 'pg_restore', psql: 'psql' } as const;
const run = promisify(execFile);

/** Where the tools are looked for: Debian's PostgreSQL 15 directory first, then PATH. */
export function defaultSearchDirs(envPath: string | undefined = process.env.PATH): string[] {
  return [`/usr/lib/postgresql/${major}/bin`, ...(envPath ?? '').split(path.delimiter).filter(Boolean)];
}

async function versionOf(file: string): Promise<number | undefined> {
  try {
    await access(file, constants.X_OK);
    const { stdout } = await run(file, ['--version'], { timeout: 5000 });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function locate(tool: string, dirs: string[]): Promise<string> {
  const seen: string[] = [];
  for (const file of [...new Set(dirs.map((d) => path.join(d, tool)))]) {
    const version = await versionOf(file);
    if (version === major) return file;
    if (version !== undefined) seen.push(`${file} is ${version}`);
  }
  const found = seen.length > 0 ? `; found ${seen.join(', ')}` : '';
  throw new EnvironmentError(
    `locate PostgreSQL client tools: ${tool} ${major} not found (looked in ${dirs.join(', ')}${found})`,
    { fix: `apt-get install -y postgresql-client-${major}` },
  );
}

let cached: Promise<PgTools> | undefined;

/** One after the other, so that a machine without any of them is always told about pg_dump first. */
async function locateAll(dirs: string[]): Promise<PgTools> {
  const pgDump = await locate(toolNames.pgDump, dirs);
  const pgRestore = await locate(toolNames.pgRestore, dirs);
  const psql = await locate(toolNames.psql, dirs);
  return { pgDump, pgRestore, psql };
}

/**
 * Finds pg_dump, pg_restore and psql of PostgreSQL 15 (memoised for the default directories);
 * EnvironmentError naming the package that provides them otherwise.
 */
export function locatePgTools(searchDirs?: string[]): Promise<PgTools> {
  if (searchDirs) return locateAll(searchDirs);
  if (!cached) {
    cached = locateAll(defaultSearchDirs());
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}
