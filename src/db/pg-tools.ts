import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EnvironmentError } from '../config/errors.ts';

/** PostgreSQL 15 client tools (one major everywhere: a newer pg_dump writes dumps an older pg_restore refuses). */
export interface PgTools {
  pgDump: string;
  pgRestore: string;
  psql: string;
}

const major = 15;
const toolNames = { pgDump: 'pg_dump', pgRestore: 'pg_restore', psql: 'psql' } as const;
const run = promisify(execFile);

function candidates(tool: string, envPath: string | undefined): string[] {
  const dirs = [`/usr/lib/postgresql/${major}/bin`, ...(envPath ?? '').split(path.delimiter).filter(Boolean)];
  return [...new Set(dirs.map((d) => path.join(d, tool)))];
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

async function locate(tool: string, envPath: string | undefined): Promise<string> {
  const seen: string[] = [];
  for (const file of candidates(tool, envPath)) {
    const version = await versionOf(file);
    if (version === major) return file;
    if (version !== undefined) seen.push(`${file} is ${version}`);
  }
  const found = seen.length > 0 ? `; found ${seen.join(', ')}` : '';
  throw new EnvironmentError(
    `locate PostgreSQL client tools: ${tool} ${major} not found (looked in /usr/lib/postgresql/${major}/bin and PATH${found})`,
    { fix: `apt-get install -y postgresql-client-${major}` },
  );
}

let cached: Promise<PgTools> | undefined;

/** Finds pg_dump, pg_restore and psql of PostgreSQL 15 (memoised); EnvironmentError naming the package otherwise. */
export function locatePgTools(envPath: string | undefined = process.env.PATH): Promise<PgTools> {
  if (!cached) {
    cached = (async () => {
      const [pgDump, pgRestore, psql] = await Promise.all([
        locate(toolNames.pgDump, envPath),
        locate(toolNames.pgRestore, envPath),
        locate(toolNames.psql, envPath),
      ]);
      return { pgDump, pgRestore, psql };
    })();
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}
