import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { trackDir } from '../common/child-registry.ts';
import { type CommandRunner, execaRunner, mustRun } from '../common/command.ts';
import { BadInputError, StepFailedError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { ComponentPin, NpmPackage } from '../release/manifest.ts';
import { treeDigest } from './tree-digest.ts';

export interface InstalledPackage {
  /** The install's directory (`.cache/platforms/<platform>/<lockfile's directory>`), holding `node_modules`. */
  dir: string;
  /** The component's package directory inside it (what `{package}` names in the profile's command). */
  packageDir: string;
  /** The installed tree's digest: must equal the manifest's `artifact.sha256`. */
  sha256: string;
  /** Installed by this call (false: found in the cache and verified). */
  installed: boolean;
}

/** The lockfile's entry of the package must be the manifest's exact version and registry integrity. */
async function lockfileMustPin(root: string, pkg: NpmPackage): Promise<void> {
  const file = path.join(root, pkg.lockfile);
  let lock: { packages?: Record<string, { version?: string; integrity?: string }> };
  try {
    lock = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new BadInputError(`package.lockfile: cannot read ${pkg.lockfile}: ${(error as Error).message}`, {
      field: 'package.lockfile',
    });
  }
  const entry = lock.packages?.[`node_modules/${pkg.name}`];
  if (entry?.version !== pkg.version || entry.integrity !== pkg.integrity) {
    throw new BadInputError(
      `package.lockfile: ${pkg.lockfile} pins ${pkg.name} ${entry?.version ?? '(absent)'} ${entry?.integrity ?? ''}, the manifest ${pkg.version} ${pkg.integrity}`,
      { field: 'package.integrity' },
    );
  }
}

/**
 * Installs an npm-packaged component at its release's exact version into the project's cache, from the lockfile
 * committed beside the platform (its dependencies use caret ranges: the lockfile is what pins what runs), with
 * `npm ci --ignore-scripts`: no install script runs (Portkey 1.15.2's `postinstall: patch-package` applies the
 * package's `patches/` directory, which its published tarball does not ship: there is nothing to apply). A
 * cached install is used when its tree still has the pinned digest; otherwise it is installed again, into a
 * temporary directory renamed into place (a run interrupted half-way leaves no half tree behind).
 */
export async function installNpmComponent(
  root: string,
  platform: string,
  pin: ComponentPin & { package: NpmPackage },
  opts: { log: Logger; timeoutMs: number; run?: CommandRunner },
): Promise<InstalledPackage> {
  const pkg = pin.package;
  await lockfileMustPin(root, pkg);
  // one install per lockfile (two releases of one version may pin different dependencies): its directory's name
  const key = path.basename(path.dirname(pkg.lockfile));
  const dir = path.join(root, '.cache', 'platforms', platform, key);
  const packageDir = path.join(dir, 'node_modules', ...pkg.name.split('/'));
  // verified once per process: a rollout does not hash the tree again inside its measured window
  if (verified.get(dir) === pin.artifact.sha256 && existsSync(packageDir)) {
    return { dir, packageDir, sha256: pin.artifact.sha256, installed: false };
  }
  if (existsSync(packageDir)) {
    const cached = await treeDigest(dir);
    if (cached.sha256 === pin.artifact.sha256) {
      verified.set(dir, cached.sha256);
      return { dir, packageDir, sha256: cached.sha256, installed: false };
    }
    opts.log.warn(
      `the cached ${pkg.name}@${pkg.version} has tree ${cached.sha256}, the release pins ${pin.artifact.sha256}: installing it again`,
    );
  }
  const tmp = path.join(root, '.cache', 'platforms', platform, `.${key}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  // Ctrl-C during the first install: the half tree goes with the process (the registry's exit cleanup)
  const untrack = trackDir(tmp);
  try {
    const lockDir = path.dirname(path.join(root, pkg.lockfile));
    await copyFile(path.join(lockDir, 'package.json'), path.join(tmp, 'package.json'));
    await copyFile(path.join(lockDir, 'package-lock.json'), path.join(tmp, 'package-lock.json'));
    opts.log.info(`installing ${pkg.name}@${pkg.version} from ${pkg.lockfile} (npm ci --ignore-scripts) into ${dir}`);
    const args = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
    await mustRun(opts.run ?? execaRunner, `install ${pkg.name}@${pkg.version}`, 'npm', args, {
      cwd: tmp,
      timeoutMs: opts.timeoutMs,
    });
    const tree = await treeDigest(tmp);
    if (tree.sha256 !== pin.artifact.sha256) {
      throw new StepFailedError(
        `verify artifact: ${pkg.name}@${pkg.version} installed from ${pkg.lockfile} has tree sha256 ${tree.sha256} (${tree.files} files), the release pins ${pin.artifact.sha256}`,
      );
    }
    await moveIntoPlace(tmp, dir, pin.artifact.sha256);
    verified.set(dir, tree.sha256);
    return { dir, packageDir, sha256: tree.sha256, installed: true };
  } finally {
    await rm(tmp, { recursive: true, force: true });
    untrack();
  }
}

/** Trees this process has verified (directory → digest). */
const verified = new Map<string, string>();

/**
 * Renames a verified install into place without ever deleting a tree another run may be running from: a stale
 * tree is renamed aside first (processes that loaded it keep their files), and when another run put the same
 * pinned tree there first, that one is kept.
 */
async function moveIntoPlace(tmp: string, dir: string, sha256: string): Promise<void> {
  if (existsSync(dir)) {
    const theirs = await treeDigest(dir).catch(() => undefined);
    if (theirs?.sha256 === sha256) return; // a concurrent run installed the same tree
    const aside = `${path.dirname(dir)}/.stale-${path.basename(dir)}-${randomBytes(4).toString('hex')}`;
    await rename(dir, aside).catch(() => undefined);
    void rm(aside, { recursive: true, force: true });
  }
  try {
    await rename(tmp, dir);
  } catch (error) {
    // another run renamed its tree in between: keep it when it is the pinned one
    const code = (error as NodeJS.ErrnoException).code;
    const theirs = code === 'ENOTEMPTY' || code === 'EEXIST' ? await treeDigest(dir).catch(() => undefined) : undefined;
    if (theirs?.sha256 !== sha256) throw error;
  }
}
