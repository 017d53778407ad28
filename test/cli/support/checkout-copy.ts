/**
 * A throw-away copy of this checkout in which a test may break a release manifest without touching
 * fixtures/releases: the code, the manifests and the tenants are copied; node_modules, the platform sources and profiles,
 * the suites and the bundles are linked (read-only use). Removed on dispose.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './run-cli.ts';

const copied = ['bin', 'src', 'package.json', 'tsconfig.json', 'fixtures/releases', 'fixtures/tenants'];
const linked = ['node_modules', 'fixtures/platform', 'fixtures/platforms', 'suites', 'dist'];

export interface CheckoutCopy extends AsyncDisposable {
  root: string;
  /** Rewrites a file of the copy (path relative to its root) through `edit`. */
  edit(file: string, edit: (text: string) => string): Promise<void>;
}

export async function copyCheckout(): Promise<CheckoutCopy> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'upcert-checkout-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    await mkdir(path.join(root, 'fixtures'));
    for (const entry of copied) await cp(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
    for (const entry of linked) await symlink(path.join(repoRoot, entry), path.join(root, entry));
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    root,
    async edit(file, edit) {
      const full = path.join(root, file);
      const before = await readFile(full, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`edit ${file}: nothing changed`);
      await writeFile(full, after);
    },
    [Symbol.asyncDispose]: dispose,
  };
}
