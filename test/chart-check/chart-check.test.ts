import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkChart } from '../../src/chart-check/chart-check.ts';
import { formatFinding } from '../../src/chart-check/finding.ts';
import { chartCheck } from '../../src/cli/chart-check.ts';
import { defaultRoot, loadRelease } from '../../src/release/catalog.ts';

const chart = path.join(defaultRoot, 'fixtures/platform/chart');
const temp = mkdtempSync(path.join(os.tmpdir(), 'upcert-chart-check-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const v180 = loadRelease('v1.8.0');
// A release whose digests were recorded (as after `npm run images:build`): the chart must render them.
const built = structuredClone(v180);
for (const [i, c] of (['gateway', 'control-plane', 'console', 'identity'] as const).entries()) {
  built.components[c].image.digest = `sha256:${String(i + 1).repeat(64)}`;
}

/** A copy of the reference chart with one edit (`file` relative to the chart; `from` must occur in it). */
function brokenChart(name: string, file: string, from: string | RegExp, to: string): string {
  const dir = path.join(temp, name);
  cpSync(chart, dir, { recursive: true });
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${from} not found in ${file}`);
  writeFileSync(target, next);
  return dir;
}

const lines = async (chartDir: string) => (await checkChart({ release: built, chartDir })).findings.map(formatFinding);

describe('chart-check on the reference chart', () => {
  test('passes with recorded digests (every image repo:tag@digest)', async () => {
    expect(await lines(chart)).toEqual([]);
  });

  test('a fresh clone (no digests recorded) is a finding per component unless --allow-unbuilt', async () => {
    const strict = await checkChart({ release: v180 });
    expect(strict.findings.map((f) => f.resource)).toEqual([
      'Deployment/gateway',
      'Deployment/control-plane',
      'Deployment/console',
      'Deployment/identity',
    ]);
    expect(formatFinding(strict.findings[0]!)).toBe(
      'images-pinned  Deployment/gateway  spec.template.spec.containers[gateway].image: v1.8.0 records no digest for gateway (run `npm run images:build`, or pass --allow-unbuilt)',
    );
    expect((await checkChart({ release: v180, allowUnbuilt: true })).findings).toEqual([]);
  });

  test('the CLI prints one line per finding and exits 1; 0 when clean', async () => {
    const out: string[] = [];
    expect(
      await chartCheck({ release: 'v1.8.0-image-drift', values: [], ha: true, allowUnbuilt: true }, (l) => out.push(l)),
    ).toBe(1);
    expect(out).toEqual([
      'images-pinned  Deployment/gateway  spec.template.spec.containers[gateway].image: is upcert/gateway:v1.7.0, expected upcert/gateway:v1.8.0',
    ]);
    expect(await chartCheck({ release: 'v1.8.0', values: [], ha: true, allowUnbuilt: true }, () => undefined)).toBe(0);
  });
});

describe('chart-check catches each fault in a broken copy of the chart', () => {
  test('an image on latest', async () => {
    const dir = brokenChart(
      'latest',
      'templates/postgresql.yaml',
      /image: \{\{ include "platform.image".*\}\}/,
      'image: "postgres:latest"',
    );
    expect(await lines(dir)).toEqual([
      'images-pinned  StatefulSet/postgresql  spec.template.spec.containers[postgresql].image: postgres:latest has the floating tag latest; pin a tag (and a digest)',
    ]);
  });

  test('a component image that drops the digest', async () => {
    const dir = brokenChart(
      'no-digest',
      'templates/_helpers.tpl',
      '{{ $repo }}:{{ $tag }}@{{ .image.digest }}',
      '{{ $repo }}:{{ $tag }}',
    );
    const found = await lines(dir);
    expect(found).toHaveLength(4);
    expect(found[0]).toBe(
      `images-pinned  Deployment/gateway  spec.template.spec.containers[gateway].image: is upcert/gateway:v1.8.0, expected upcert/gateway:v1.8.0@sha256:${'1'.repeat(64)}`,
    );
  });

  test('one replica with HA values', async () => {
    const dir = brokenChart(
      'replicas',
      'templates/_helpers.tpl',
      '.root.Values.global.highAvailability -}}2',
      '.root.Values.global.highAvailability -}}1',
    );
    expect(await lines(dir)).toContain('ha-replicas  Deployment/console  spec.replicas: is 1, HA needs 2+');
  });

  test('no PodDisruptionBudget', async () => {
    const dir = brokenChart('pdb', 'templates/pdbs.yaml', '{{- if $w.release }}', '{{- if false }}');
    expect(await lines(dir)).toContain(
      'ha-pdb  Deployment/gateway  PodDisruptionBudget: no PodDisruptionBudget selects its pods',
    );
  });

  test('no pod anti-affinity', async () => {
    const dir = brokenChart('affinity', 'templates/deployments.yaml', '{{- if $ha }}', '{{- if false }}');
    expect(await lines(dir)).toContain(
      'ha-anti-affinity  Deployment/identity  spec.template.spec.affinity.podAntiAffinity: no anti-affinity term by kubernetes.io/hostname selects its own pods',
    );
  });

  test('no readiness probe', async () => {
    const dir = brokenChart(
      'readiness',
      'templates/deployments.yaml',
      /\n {10}readinessProbe:\n(?:.*\n){3} {12}\{\{- end \}\}/,
      '',
    );
    const found = await lines(dir);
    expect(found).toContain(
      'readiness-probe  Deployment/gateway  spec.template.spec.containers[gateway].readinessProbe: missing (gateway)',
    );
    expect(found).toContain(
      'control-plane-ready-after-migrations  Deployment/control-plane  spec.template.spec.containers[control-plane].readinessProbe.httpGet.path: is (no httpGet probe), expected /readyz (ready only after migrations and reconcile)',
    );
  });

  test('a gateway without a CPU request (the least CPU weight there is, starved first while the rollout boots pods)', async () => {
    const dir = brokenChart(
      'cpu-request',
      'values.yaml',
      'resources: { requests: { cpu: 50m, memory: 64Mi } }\n  image: { repository: upcert/gateway',
      'resources: { requests: { memory: 64Mi } }\n  image: { repository: upcert/gateway',
    );
    expect(await lines(dir)).toEqual([
      'cpu-requests  Deployment/gateway  spec.template.spec.containers[gateway].resources.requests.cpu: missing (gateway): without it the container gets the least CPU weight there is (2 shares)',
    ]);
  });

  test('a grace period shorter than the drain', async () => {
    const dir = brokenChart(
      'grace',
      'values.yaml',
      'terminationGracePeriodSeconds: 30 #',
      'terminationGracePeriodSeconds: 20 #',
    );
    expect(await lines(dir)).toEqual([
      'grace-period-exceeds-drain  Deployment/gateway  spec.template.spec.terminationGracePeriodSeconds: is 20, must exceed 21.5 (preStop 0 + propagation 1.5 + longest stream 20)',
    ]);
  });

  test('a rolling update that may lower capacity', async () => {
    const dir = brokenChart('max-unavailable', 'templates/deployments.yaml', 'maxUnavailable: 0', 'maxUnavailable: 1');
    expect(await lines(dir)).toContain(
      'rolling-update-max-unavailable-0  Deployment/control-plane  spec.strategy.rollingUpdate.maxUnavailable: is 1, expected 0',
    );
  });

  test('control plane readiness not gated on migrations (probe on /healthz)', async () => {
    const dir = brokenChart(
      'cp-healthz',
      'templates/deployments.yaml',
      'httpGet: { path: /readyz, port: http }',
      'httpGet: { path: /healthz, port: http }',
    );
    expect(await lines(dir)).toEqual([
      'control-plane-ready-after-migrations  Deployment/control-plane  spec.template.spec.containers[control-plane].readinessProbe.httpGet.path: is /healthz, expected /readyz (ready only after migrations and reconcile)',
    ]);
  });
});
