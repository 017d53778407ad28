import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildPlatform, bundlePath, pinReleases } from '../../fixtures/platform/build.ts';
import { componentNames, defaultRoot, loadRelease } from '../../src/release/index.ts';

/**
 * The build on a scratch copy of the repository whose component entries import every exotic dependency
 * (oidc-provider, openid-client, node-pg-migrate, pg, undici), so the bundling itself is tested whatever
 * state the real platform source is in.
 */
const entry = `import Provider from 'oidc-provider';
import * as client from 'openid-client';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { Agent } from 'undici';
import { DEFECT, VERSION } from '../common/build-info.ts';
const pool = new pg.Pool({ max: 1 });
await pool.end();
export const info = { VERSION, DEFECT, loaded: [Provider, client.discovery, runner, Agent].map((f) => typeof f) };
`;

let root: string;
let first: BuildResult;
const quiet = { log: () => {} };
const digests = (r: BuildResult) => r.releases.map((x) => [x.name, x.artifacts]);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'upcert-build-'));
  await mkdir(path.join(root, 'fixtures/platform/src'), { recursive: true });
  await cp(path.join(defaultRoot, 'fixtures/releases'), path.join(root, 'fixtures/releases'), { recursive: true });
  await cp(path.join(defaultRoot, 'fixtures/platform/src/common'), path.join(root, 'fixtures/platform/src/common'), {
    recursive: true,
  });
  for (const file of ['package-lock.json', 'tsconfig.json'])
    await cp(path.join(defaultRoot, file), path.join(root, file));
  await symlink(path.join(defaultRoot, 'node_modules'), path.join(root, 'node_modules'));
  for (const c of [...componentNames, 'provider-mock']) {
    await mkdir(path.join(root, 'fixtures/platform/src', c));
    await writeFile(path.join(root, 'fixtures/platform/src', c, 'main.ts'), entry);
  }
  first = await buildPlatform({ ...quiet, root, releases: ['v1.7.0', 'v1.8.0'] });
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('buildPlatform', () => {
  it('bundles every component of the chosen releases, and provider-mock once', () => {
    expect(first.missing).toEqual([]);
    expect(first.releases.map((r) => [r.name, r.fresh, Object.keys(r.artifacts).sort()])).toEqual([
      ['v1.7.0', false, [...componentNames].sort()],
      ['v1.8.0', false, [...componentNames].sort()],
    ]);
    expect(first.providerMock?.path).toBe('dist/platform/provider-mock.mjs');
  });

  it('writes self-contained bundles that load without node_modules and carry their build inputs', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'upcert-load-'));
    try {
      await cp(path.join(root, bundlePath('v1.8.0', 'control-plane')), path.join(scratch, 'main.mjs'));
      const script = "import('./main.mjs').then((m) => process.stdout.write(JSON.stringify(m.info)))";
      const { stdout } = await execa('node', ['-e', script], { cwd: scratch, timeout: 30_000 });
      expect(JSON.parse(stdout)).toEqual({ VERSION: 'v1.8.0', DEFECT: '', loaded: Array(4).fill('function') });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('skips unchanged inputs and rebuilds what changed, byte for byte the same', async () => {
    const again = await buildPlatform({ ...quiet, root, releases: ['v1.7.0', 'v1.8.0'] });
    expect(again.releases.every((r) => r.fresh)).toBe(true);
    expect(digests(again)).toEqual(digests(first));

    await rm(path.join(root, 'dist'), { recursive: true });
    const cold = await buildPlatform({ ...quiet, root, releases: ['v1.7.0', 'v1.8.0'] });
    expect(cold.releases.some((r) => r.fresh)).toBe(false);
    expect(digests(cold)).toEqual(digests(first));
    expect(cold.providerMock).toEqual(first.providerMock);
  });

  it('rebuilds a tampered bundle', async () => {
    await writeFile(path.join(root, bundlePath('v1.7.0', 'gateway')), 'tampered');
    const result = await buildPlatform({ ...quiet, root, releases: ['v1.7.0'] });
    expect(result.releases[0]?.fresh).toBe(false);
    expect(result.releases[0]?.artifacts).toEqual(first.releases[0]?.artifacts);
  });

  it('differs between versions (the version is a build input)', () => {
    const [v17, v18] = first.releases;
    expect(v17?.artifacts.gateway).not.toBe(v18?.artifacts.gateway);
  });

  it('pins digests into the manifests, keeping comments and order', async () => {
    const file = path.join(root, 'fixtures/releases/v1.8.0.yaml');
    const before = await readFile(file, 'utf8');
    expect(await pinReleases(first, { ...quiet, root })).toContain('fixtures/releases/v1.8.0.yaml');
    const after = await readFile(file, 'utf8');
    const strip = (t: string) => t.replace(/sha256: "[0-9a-f]{64}"/g, 'sha256: X');
    expect(strip(after)).toBe(strip(before));
    const pinned = loadRelease('v1.8.0', root);
    for (const c of componentNames) expect(pinned.components[c].artifact.sha256).toBe(first.releases[1]?.artifacts[c]);
    expect(await pinReleases(first, { ...quiet, root })).toEqual([]);
  });
});
