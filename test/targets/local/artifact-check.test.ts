import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StepFailedError } from '../../../src/common/errors.ts';
import { defaultRoot, type LoadedRelease, loadRelease } from '../../../src/release/catalog.ts';
import { componentNames } from '../../../src/release/manifest.ts';
import { startLocalPlatform } from '../../../src/targets/local/index.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A repository root of its own: the real chart values, stand-in bundles, and a release pinning them. */
async function fakeRoot(): Promise<{ root: string; release: LoadedRelease }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'upcert-artifact-test-'));
  dirs.push(root);
  const real = loadRelease('v1.7.0');
  const chartDir = path.join(root, real.chart.path!);
  await mkdir(chartDir, { recursive: true });
  await copyFile(path.join(defaultRoot, real.chart.path!, 'values.yaml'), path.join(chartDir, 'values.yaml'));
  const components = structuredClone(real.components);
  for (const c of componentNames) {
    const body = `// stand-in bundle of ${c}\n`;
    await mkdir(path.dirname(path.join(root, components[c].artifact.path)), { recursive: true });
    await writeFile(path.join(root, components[c].artifact.path), body);
    components[c].artifact.sha256 = sha256(body);
  }
  await writeFile(path.join(root, 'dist/platform/provider-mock.mjs'), '// stand-in provider-mock\n');
  return { root, release: { ...real, components } };
}

describe('artifact check', () => {
  it('refuses a tampered bundle before starting anything, naming component, expected and actual sha256', async () => {
    const { root, release } = await fakeRoot();
    const tampered = path.join(root, release.components.gateway.artifact.path);
    await writeFile(tampered, '// tampered\n');
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-artifact-work-'));
    dirs.push(workDir);

    const error = await startLocalPlatform({ release, root, workDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    const message = (error as Error).message;
    expect(message).toContain('gateway');
    expect(message).toContain(release.components.gateway.artifact.sha256);
    expect(message).toContain(sha256('// tampered\n'));
    expect(await readdir(workDir)).toEqual([]); // no run dir, no PostgreSQL, no replica
  });
});
