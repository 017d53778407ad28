/**
 * The doctor is the cluster run's preflight (issue 13): `runDoctor` reads helm's and kubectl's versions (output
 * captured from the real tools, test/fixtures/kube/tools), the releases' digests, the plan, and asks every
 * permission of the plan by SelfSubjectAccessReview (answered here as the RBAC authorizer would for a Role:
 * `rulesAllow`). A missing permission or a wrong tool stops the run with exit 3 before any write: the only
 * commands it runs are the two version reads.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { CommandRunner } from '../../../src/common/command.ts';
import { EnvironmentError, exitCodeOf } from '../../../src/common/errors.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { upcertConfigSchema } from '../../../src/config/schema.ts';
import { loadRelease } from '../../../src/release/catalog.ts';
import { runDoctor } from '../../../src/targets/cluster/doctor.ts';
import { clusterPreflight } from '../../../src/targets/cluster/provider.ts';
import { type PolicyRule, rulesAllow } from '../../../src/targets/cluster/rbac-role.ts';
import { planOf, where } from './support/cluster-platform.ts';

const tool = (name: string) => readFileSync(new URL(`../../fixtures/kube/tools/${name}`, import.meta.url), 'utf8');
const client = JSON.parse(tool('kubectl-version-v1.33.9.json')) as { clientVersion: Record<string, string> };
/** `kubectl version -o json` against a v1.33 API server (see the fixtures' README). */
const kubectlVersion = (serverMinor: number) =>
  JSON.stringify({
    ...client,
    serverVersion: { ...client.clientVersion, minor: String(serverMinor), gitVersion: `v1.${serverMinor}.2` },
  });
const docs = readFileSync(new URL('../../../docs/kubernetes.md', import.meta.url), 'utf8');
const docRules = (
  parseAllDocuments(/## Running against your staging[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)![1]!)[0]!.toJSON() as {
    rules: PolicyRule[];
  }
).rules;

/** Release manifests as a cluster run needs them: pinned by repository digest. */
const pushed = (name: string) => {
  const r = structuredClone(loadRelease(name));
  for (const c of Object.values(r.components))
    Object.assign(c.image, { digest: `sha256:${'d'.repeat(64)}`, digestKind: 'repo' });
  return r;
};

function doctorOn(o: { helm?: string; serverMinor?: number; rules?: PolicyRule[] }) {
  const calls: string[] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push(`${file} ${args.join(' ')}`);
    if (file === 'helm' && args[0] === 'version')
      return { stdout: o.helm ?? tool('helm-version-short-v4.1.4.txt'), stderr: '', exitCode: 0 };
    if (file === 'kubectl' && args.includes('version'))
      return { stdout: kubectlVersion(o.serverMinor ?? 33), stderr: '', exitCode: 0 };
    return { stdout: '', stderr: `not expected: ${file} ${args.join(' ')}`, exitCode: 1 };
  };
  const lines: string[] = [];
  const log = createLogger('test:doctor');
  const info = log.info.bind(log);
  log.info = (m: string) => {
    lines.push(m);
    info(m);
  };
  const promise = runDoctor(
    { context: where.context, namespace: where.namespace, commandTimeoutMs: 60_000 },
    { from: pushed('v1.7.0'), to: pushed('v1.8.0') },
    {
      run,
      review: async (p) => ({ allowed: rulesAllow(o.rules ?? docRules, p), reason: 'RBAC: no rule' }),
      plan: async () => planOf({ allowDestructive: true }),
      log,
    },
  );
  return { promise, calls, lines };
}

const failure = async (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as EnvironmentError,
  );

describe('the doctor, as the preflight of a cluster run', () => {
  test('the documented Role, helm 4 and kubectl one minor from the server: every finding ok, only reads run', async () => {
    const d = doctorOn({});
    await d.promise;
    expect(d.calls).toEqual(['helm version --short', `kubectl --context ${where.context} version -o json`]);
    expect(d.lines.every((l) => l.startsWith('ok'))).toBe(true);
    expect(d.lines).toContain('ok   can create pods/portforward in upcert-platform');
  });

  test('a Role without pods/portforward: exit 3 naming it, the Role that grants it as the fix', async () => {
    const d = doctorOn({ rules: docRules.filter((r) => !r.resources.includes('pods/portforward')) });
    const error = await failure(d.promise);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(exitCodeOf(error)).toBe(3);
    expect(error!.message).toContain('can create pods/portforward in upcert-platform');
    expect(error!.fix).toContain('- pods/portforward');
    expect(d.calls).toHaveLength(2);
  });

  test('helm 3, or kubectl two minors from the server: exit 3 naming the tool', async () => {
    const helm3 = await failure(doctorOn({ helm: 'v3.17.3+g4ae0ea6' }).promise);
    expect(exitCodeOf(helm3)).toBe(3);
    expect(helm3!.message).toContain('helm version');
    const skew = await failure(doctorOn({ serverMinor: 31 }).promise);
    expect(exitCodeOf(skew)).toBe(3);
    expect(skew!.message).toContain('kubectl skew');
  });

  test('a plan that cannot be read (no deployed revision) is a finding, not a crash', async () => {
    const failing = runDoctor(
      { context: where.context, namespace: where.namespace, commandTimeoutMs: 60_000 },
      { from: pushed('v1.7.0'), to: pushed('v1.8.0') },
      {
        run: async (file) => ({
          stdout: file === 'helm' ? tool('helm-version-short-v4.1.4.txt') : kubectlVersion(33),
          stderr: '',
          exitCode: 0,
        }),
        review: async () => ({ allowed: true }),
        plan: async () => {
          throw new Error('plan: release upcert has no deployed revision in upcert-platform');
        },
        log: createLogger('test:doctor'),
      },
    );
    const error = await failure(failing);
    expect(exitCodeOf(error)).toBe(3);
    expect(error!.message).toContain('installed release v1.7.0 and the plan');
  });
});

describe('the cluster provider preflight', () => {
  // helm and kubectl must be found on PATH: stand-ins (named so) that are only looked up, never run
  const bin = mkdtempSync(path.join(os.tmpdir(), 'upcert-tools-'));
  for (const name of ['helm', 'kubectl']) {
    writeFileSync(path.join(bin, name), '#!/bin/sh\nexit 99\n');
    chmodSync(path.join(bin, name), 0o755);
  }
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const config = upcertConfigSchema.parse({ target: 'cluster', context: 'staging' });

  test('runs the doctor after the static checks, and its exit 3 stops the run there', async () => {
    const asked: string[] = [];
    await clusterPreflight(config, [pushed('v1.7.0'), pushed('v1.8.0')], bin, async (_c, r) => {
      asked.push(`${r.from.name} → ${r.to.name}`);
    });
    expect(asked).toEqual(['v1.7.0 → v1.8.0']);
    const missing = new EnvironmentError('doctor: 1 problem(s): can create pods/portforward in upcert-platform');
    const stopped = await failure(
      clusterPreflight(config, [pushed('v1.7.0'), pushed('v1.8.0')], bin, async () => {
        throw missing;
      }),
    );
    expect(stopped).toBe(missing);
    expect(exitCodeOf(stopped)).toBe(3);
  });

  test('an image-ID digest is refused (exit 2) before the doctor asks the cluster anything', async () => {
    let asked = false;
    const refused = await failure(
      clusterPreflight(config, [loadRelease('v1.7.0'), pushed('v1.8.0')], bin, async () => {
        asked = true;
      }),
    );
    expect(exitCodeOf(refused)).toBe(2);
    expect(asked).toBe(false);
  });
});
