import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellKey, type KeyInput } from '../../src/matrix/cell-key.ts';
import { sourceTreeHash } from '../../src/matrix/source-tree.ts';
import { loadRelease } from '../../src/release/catalog.ts';

function input(): KeyInput {
  const manifests = ['v1.8.0', 'v1.9.0'].map((n) => {
    const { name: _n, file: _f, ...m } = loadRelease(n);
    return m;
  });
  return {
    cell: { path: ['v1.8.0', 'v1.9.0'], target: 'local', baseline: 'none', topology: 'ha', supported: true },
    manifests,
    platform: 'reference',
    settings: { target: 'local', load: { rate: 400 } },
    sourceTree: 'a'.repeat(64),
  };
}

describe('content-addressed cell keys', () => {
  it('are stable for the same inputs, whatever the key order of the settings', () => {
    const a = input();
    const b = { ...input(), settings: { load: { rate: 400 }, target: 'local' } };
    expect(cellKey(a)).toBe(cellKey(b));
    expect(cellKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with a digest of either release, the platform, a setting, the topology or upcert tree', () => {
    const key = cellKey(input());
    const digest = input();
    digest.manifests[1]!.components.gateway!.artifact.sha256 = 'b'.repeat(64);
    const image = input();
    image.manifests[0]!.components.console!.image!.digest = `sha256:${'c'.repeat(64)}`;
    const changed = [
      digest,
      image,
      { ...input(), platform: 'portkey' },
      { ...input(), settings: { target: 'local', load: { rate: 401 } } },
      { ...input(), cell: { ...input().cell, topology: 'single' as const } },
      { ...input(), sourceTree: 'b'.repeat(64) },
    ];
    for (const c of changed) expect(cellKey(c)).not.toBe(key);
  });
});

describe("upcert's tree hash", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'upcert-tree-'));
    await cp(path.resolve('src/matrix'), path.join(root, 'src/matrix'), { recursive: true });
    await cp(path.resolve('package.json'), path.join(root, 'package.json'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('changes when a source file changes, not when a log or node_modules does', async () => {
    const before = sourceTreeHash(root);
    await writeFile(path.join(root, 'src/matrix/upcert.log'), 'noise');
    await cp(path.resolve('package.json'), path.join(root, 'src/node_modules/x/package.json'));
    expect(sourceTreeHash(root)).toBe(before);
    await writeFile(path.join(root, 'src/matrix/plan.ts'), '// edited\n', { flag: 'a' });
    expect(sourceTreeHash(root)).not.toBe(before);
  });
});
