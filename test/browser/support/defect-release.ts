/**
 * Builds a broken release of the reference platform in a temporary copy of the repository's release
 * catalog (fixtures/releases/defects/ belongs to its own owner): the `base` manifest plus `defect`, `role`,
 * `pair` and `expect`, built by fixtures/platform/build.ts from the real platform sources, and loaded with
 * its bundles' absolute paths and digests, ready for `LocalPlatform.upgrade(release)`.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { buildPlatform } from '../../../fixtures/platform/build.ts';
import { defaultRoot, type LoadedRelease, loadRelease } from '../../../src/release/catalog.ts';
import type { CheckId, Phase } from '../../../src/release/manifest.ts';

export interface DefectRelease extends AsyncDisposable {
  release: LoadedRelease;
}

export interface DefectSpec {
  defect: string;
  /** the good release it breaks (the `to` side), and the one it is paired with. */
  base: string;
  pair: string;
  expect: { check: CheckId; phase: Phase }[];
}

async function manifestText(spec: DefectSpec): Promise<string> {
  const doc = parseDocument(await readFile(path.join(defaultRoot, 'fixtures/releases', `${spec.base}.yaml`), 'utf8'));
  doc.set('defect', spec.defect);
  doc.set('role', 'to');
  doc.set('pair', spec.pair);
  doc.set('expect', spec.expect);
  return doc.toString({ lineWidth: 0 });
}

export async function buildDefectRelease(spec: DefectSpec): Promise<DefectRelease> {
  const root = await mkdtemp(path.join(tmpdir(), 'upcert-defect-'));
  const dispose = () => rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    const name = `${spec.base}-${spec.defect}`;
    await mkdir(path.join(root, 'fixtures/releases/defects'), { recursive: true });
    for (const link of ['fixtures/platform', 'node_modules', 'tsconfig.json', 'package-lock.json']) {
      await symlink(path.join(defaultRoot, link), path.join(root, link));
    }
    for (const good of [spec.base, spec.pair]) {
      await copyFile(
        path.join(defaultRoot, 'fixtures/releases', `${good}.yaml`),
        path.join(root, 'fixtures/releases', `${good}.yaml`),
      );
    }
    await writeFile(path.join(root, 'fixtures/releases/defects', `${name}.yaml`), await manifestText(spec));
    const built = await buildPlatform({ root, releases: [name], log: () => undefined });
    const artifacts = built.releases[0]?.artifacts ?? {};
    const loaded = loadRelease(name, root);
    for (const [component, pin] of Object.entries(loaded.components)) {
      const sha256 = artifacts[component];
      if (!sha256) throw new Error(`build ${name}: no ${component} bundle`);
      pin.artifact = { path: path.join(root, `dist/platform/${name}/${component}.mjs`), sha256 };
    }
    return { release: loaded, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
