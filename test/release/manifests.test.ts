import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlatform } from '../../fixtures/platform/build.ts';
import { BadInputError, EnvironmentError } from '../../src/common/errors.ts';
import {
  ArtifactMismatchError,
  componentNames,
  defaultRoot,
  listReleases,
  loadRelease,
  verifyArtifact,
} from '../../src/release/index.ts';

/** What CONTRACT.md and DESIGN.md say each good release pins. */
const expected = {
  'v1.7.0': { kubernetes: '1.31', head: '0002_budgets_usage', rollback: 'schema-compatible' },
  'v1.8.0': { kubernetes: '1.32', head: '0004_consumer_labels', rollback: 'schema-compatible' },
  'v1.9.0': { kubernetes: '1.33', head: '0006_guardrail_kinds', rollback: 'restore-required' },
} as const;

describe('release catalog', () => {
  it('lists the good releases first, then the broken ones', () => {
    const names = listReleases();
    expect(names.slice(0, 3)).toEqual(Object.keys(expected));
    for (const name of names.slice(3)) expect(name).toMatch(/^v\d+\.\d+\.\d+-[a-z0-9-]+$/);
  });

  it.each(listReleases())('%s validates against the manifest schema', (name) => {
    const release = loadRelease(name);
    expect(release.name).toBe(name);
    for (const c of componentNames) {
      expect(release.components[c].artifact.path).toBe(`dist/platform/${name}/${c}.mjs`);
      expect(release.components[c].image).toMatchObject({ repository: `upcert/${c}`, tag: release.version });
    }
  });

  it.each(Object.entries(expected))(
    '%s pins the baseline, migration head and rollback of the contract',
    (name, want) => {
      const release = loadRelease(name);
      expect(release).toMatchObject({ version: name, kubernetes: want.kubernetes, rollback: want.rollback });
      expect(release.migrations).toEqual({ ledger: 'node-pg-migrate', table: 'public.pgmigrations', head: want.head });
      expect(release.chart).toMatchObject({ path: 'fixtures/platform/chart', version: name.slice(1) });
    },
  );

  it('rejects an unknown release, listing the known ones', () => {
    const error = catchError(() => loadRelease('v9.9.9'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(`unknown release: v9.9.9 (known: ${listReleases().join(', ')})`);
  });
});

describe('malformed release manifests', () => {
  let root: string;
  let good: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'upcert-manifests-'));
    await mkdir(path.join(root, 'fixtures/releases/defects'), { recursive: true });
    await mkdir(path.join(root, 'fixtures/releases/stress'), { recursive: true });
    good = await readFile(path.join(defaultRoot, 'fixtures/releases/v1.8.0.yaml'), 'utf8');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function load(name: string, text: string, dir = 'fixtures/releases'): Promise<BadInputError> {
    await writeFile(path.join(root, dir, `${name}.yaml`), text);
    const error = catchError(() => loadRelease(name, root));
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }

  it('names the file and the field of a schema violation', async () => {
    const error = await load('v1.8.0', good.replace(/sha256: "[0-9a-f]{64}"/, 'sha256: "not-a-digest"'));
    expect(error.message).toContain(
      'invalid release manifest fixtures/releases/v1.8.0.yaml: components.gateway.artifact.sha256: expected 64 lowercase hex digits',
    );
    expect(error.field).toBe('components.gateway.artifact.sha256');
  });

  it('names unknown and missing fields', async () => {
    const error = await load('v1.8.0', `${good.replace(/^rollback: .*$/m, '')}\nrollbak: schema-compatible\n`);
    expect(error.message).toContain('fixtures/releases/v1.8.0.yaml');
    expect(error.message).toContain('rollback:');
    expect(error.message).toContain('rollbak');
  });

  it('reports YAML syntax errors with the file', async () => {
    const error = await load('v1.8.0', 'version: v1.8.0\ncomponents: [unclosed\n');
    expect(error.message).toMatch(/^invalid release manifest fixtures\/releases\/v1\.8\.0\.yaml: \(yaml\): /);
  });

  it('rejects a file name that does not match the version', async () => {
    const error = await load('v1.8.1', good);
    expect(error.message).toContain('the file name says v1.8.1, the manifest v1.8.0');
  });

  it('requires role, pair and expect of a broken release', async () => {
    const error = await load('v1.8.0-stream-cut', `${good}defect: stream-cut\n`, 'fixtures/releases/defects');
    expect(error.message).toContain('defects/v1.8.0-stream-cut.yaml: role: required for a broken release');
  });

  it('keeps stress releases in their own folder, good (no expect) and paired', async () => {
    const outside = await load('v1.8.0-quick', `${good}stress: quick\nrole: to\npair: v1.7.0\n`);
    expect(outside.message).toContain('stress: only stress releases set it');
    const expecting = await load(
      'v1.8.0-slow',
      `${good}stress: slow\nrole: to\npair: v1.7.0\nexpect: [{ check: latency-held, phase: upgrade }]\n`,
      'fixtures/releases/stress',
    );
    expect(expecting.message).toContain('expect: a stress release is a good release');
    const unpaired = await load('v1.8.0-slow', `${good}stress: slow\nrole: to\n`, 'fixtures/releases/stress');
    expect(unpaired.message).toContain('pair: required for a stress release');
  });
});

describe('verifyArtifact', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'upcert-artifact-'));
    await writeFile(path.join(root, 'gateway.mjs'), 'export {};\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const digest = createHash('sha256').update('export {};\n').digest('hex');

  it('accepts the pinned bytes', async () => {
    const ok = await verifyArtifact(root, { component: 'gateway', artifact: { path: 'gateway.mjs', sha256: digest } });
    expect(ok).toEqual({ path: path.join(root, 'gateway.mjs'), sha256: digest });
  });

  it('names the component, the expected and the actual digest', async () => {
    const pin = { component: 'gateway', artifact: { path: 'gateway.mjs', sha256: 'a'.repeat(64) } };
    const error = await verifyArtifact(root, pin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactMismatchError);
    expect((error as Error).message).toContain(
      `gateway bundle gateway.mjs has sha256 ${digest}, the release pins ${'a'.repeat(64)}`,
    );
  });

  it('says how to build a missing bundle', async () => {
    const pin = { component: 'console', artifact: { path: 'console.mjs', sha256: digest } };
    const error = await verifyArtifact(root, pin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain('console bundle console.mjs is missing; to fix: npm run build:platform');
  });
});

describe('committed digests', () => {
  it('are reproduced by the build', async () => {
    const build = await buildPlatform({ log: () => {} });
    const problems = build.missing.map((c) => `${c}: no entry fixtures/platform/src/${c}/main.ts, nothing built`);
    for (const name of listReleases()) {
      const release = loadRelease(name);
      for (const component of componentNames) {
        const pin = { component: `${name} ${component}`, artifact: release.components[component].artifact };
        await verifyArtifact(defaultRoot, pin).catch((error: Error) => problems.push(error.message));
      }
    }
    expect(
      problems,
      'the build no longer reproduces the committed digests: if the platform changed on purpose, run `npm run release:pin` and commit the manifests',
    ).toEqual([]);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
