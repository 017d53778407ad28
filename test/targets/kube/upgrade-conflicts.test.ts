/**
 * Conflicts before a Helm 4 upgrade, from managedFields (issue 12 item 8): `helm template` and one
 * `kubectl get ... --show-managed-fields`, answered through an injected command runner (a MOCK of helm and kubectl:
 * no cluster runs here) from captured objects — the reference chart's `helm template` output
 * (test/fixtures/cluster/rendered-v1.8.0.yaml), the Server-Side Apply page's managedFields examples
 * (test/fixtures/kube/server-side-apply-doc.yaml), live objects built from primary sources
 * (test/fixtures/cluster/live-objects.yaml, each source named there) and `helm create`'s chart rendered by
 * Helm v4.1.4 (test/fixtures/kube/tools/helm-template-create-v4.1.4.yaml).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseManifests } from '../../../src/chart-check/manifests.ts';
import { CommandFailedError, type CommandRunner } from '../../../src/common/command.ts';
import { applyConflicts } from '../../../src/targets/kube/apply-conflicts.ts';
import { decideConflicts } from '../../../src/targets/kube/conflict-decision.ts';
import { Helm } from '../../../src/targets/kube/helm.ts';
import { helmAppliedObjects } from '../../../src/targets/kube/helm-applied.ts';
import { Kubectl } from '../../../src/targets/kube/kubectl.ts';
import type { KubeObject } from '../../../src/targets/kube/managed-fields.ts';
import { upgradeConflicts } from '../../../src/targets/kube/upgrade-conflicts.ts';
import { clusterFixture, renderedText } from '../../fixtures/cluster/load.ts';
import { kubeFixture } from '../../fixtures/kube/load.ts';
import { capturedCluster } from '../cluster/support/captured-cluster.ts';
import { clusterPlatform, prepared, where } from '../cluster/support/cluster-platform.ts';

const live = clusterFixture<Record<string, KubeObject>>('live-objects.yaml');
const doc = kubeFixture<Record<string, KubeObject>>('server-side-apply-doc.yaml');
const opts = prepared('v1.8.0');

/** helm and kubectl answering from captures; every invocation recorded. `objects`: what exists live. */
function tools(rendered: string, objects: KubeObject[], kubectlFails?: string) {
  const calls: [string, string[]][] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push([file, [...args]]);
    if (file === 'helm') return { stdout: rendered, stderr: '', exitCode: 0 };
    if (kubectlFails) return { stdout: '', stderr: kubectlFails, exitCode: 1 };
    const stdout = objects.length === 0 ? '' : JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
    return { stdout, stderr: '', exitCode: 0 };
  };
  const helm = new Helm(where, run);
  const kubectl = new Kubectl(where.namespace, where.context, run);
  return { calls, conflicts: () => upgradeConflicts(helm, kubectl, opts) };
}

describe('conflicts an upgrade would meet, from the live managedFields', () => {
  test("an HPA's spec.replicas (kube-controller-manager via /scale, live 5, chart 2): fail refuses naming both", async () => {
    const conflicts = await tools(renderedText('v1.8.0'), [live.gatewayDeploymentUnderHpa!]).conflicts();
    expect(conflicts).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'gateway',
        manager: 'kube-controller-manager',
        subresource: 'scale',
        field: '.spec.replicas',
        live: 5,
        intended: 2,
        ours: false,
      }),
    ]);
    const refused = decideConflicts(conflicts, 'fail');
    expect(refused.force).toBe(false);
    expect(refused.refused).toContain(
      'Deployment/gateway .spec.replicas is owned by "kube-controller-manager" (Update via /scale; live 5, chart 2)',
    );
    expect(decideConflicts(conflicts, 'force')).toEqual({ force: true });
  });

  test('under force (kind) the upgrade runs with --force-conflicts and records the HPA conflict', async () => {
    const cluster = capturedCluster({ hpaOwnsReplicas: true });
    const platform = clusterPlatform(cluster.run, { conflictPolicy: 'force' });
    await platform.upgrade('v1.8.0');
    await platform.dispose();
    const [record] = platform.applyRecords();
    expect(record!.forcedConflicts).toBe(true);
    expect(record!.command).toContain('--force-conflicts');
    expect(record!.conflicts).toEqual([
      { kind: 'Deployment', name: 'gateway', manager: 'kube-controller-manager', field: '.spec.replicas' },
    ]);
    // the same cluster under fail: refused before any helm upgrade ran
    const shared = capturedCluster({ hpaOwnsReplicas: true });
    await expect(clusterPlatform(shared.run).upgrade('v1.8.0')).rejects.toThrow(/"kube-controller-manager"/);
    expect(shared.calls.some((c) => c.startsWith('helm upgrade'))).toBe(false);
  });

  test("the run's own hand edit (upcert-hand-edit) is ours: forced even under fail", async () => {
    const conflicts = await tools(renderedText('v1.8.0'), [live.gatewayConfigHandEdited!]).conflicts();
    expect(conflicts.map((c) => [c.kind, c.name, c.manager, c.field, c.ours])).toEqual([
      ['ConfigMap', 'gateway-config', 'upcert-hand-edit', '.data.config.json', true],
    ]);
    expect(decideConflicts(conflicts, 'fail')).toEqual({ force: true });
  });

  test('another manager owning a field the chart sets to the same value shares it: no conflict', async () => {
    const same = { ...doc.intended!, data: { key: 'new value' } };
    expect(await tools(stringify(same), [doc.updatedByController!]).conflicts()).toEqual([]);
    // the page's first value against the controller's: a conflict with the manager the page names
    const differs = await tools(stringify(doc.intended), [doc.updatedByController!]).conflicts();
    expect(differs.map((c) => [c.manager, c.field, c.live, c.intended])).toEqual([
      ['kube-controller-manager', '.data.key', 'new value', 'some value'],
    ]);
  });

  test('objects that do not exist yet have no conflicts (kubectl --ignore-not-found prints nothing)', async () => {
    expect(await tools(renderedText('v1.8.0'), []).conflicts()).toEqual([]);
  });

  test('the commands: helm template with the upgrade values, then one kubectl get of every applied object', async () => {
    const t = tools(renderedText('v1.8.0'), []);
    await t.conflicts();
    const rendered = parseManifests<KubeObject>(renderedText('v1.8.0'));
    expect(t.calls.map(([file]) => file)).toEqual(['helm', 'kubectl']);
    expect(t.calls[0]![1]).toEqual([
      'template',
      'upcert',
      opts.chart,
      '--namespace',
      'upcert-platform',
      ...opts.valuesFiles.flatMap((f) => ['-f', f]),
    ]);
    const get = t.calls[1]![1];
    expect(get.slice(0, 5)).toEqual(['--context', 'staging', '--namespace', 'upcert-platform', 'get']);
    expect(get.slice(-4)).toEqual(['-o', 'json', '--show-managed-fields', '--ignore-not-found']);
    expect(get.slice(5, -4)).toHaveLength(rendered.length);
    expect(get).toEqual(
      expect.arrayContaining([
        'configmap/gateway-config',
        'deployment.v1.apps/gateway',
        'poddisruptionbudget.v1.policy/gateway',
        'statefulset.v1.apps/postgresql',
      ]),
    );
  });

  test('a kubectl that fails (not NotFound) stops the upgrade with the command and its output', async () => {
    const forbidden =
      'Error from server (Forbidden): deployments.apps "gateway" is forbidden: User "upcert" cannot get resource "deployments"';
    const error = await tools(renderedText('v1.8.0'), [], forbidden)
      .conflicts()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect((error as Error).message).toMatch(/kubectl .*get .*--show-managed-fields.*\n.*Forbidden/s);
  });
});

describe('what helm applies of a helm template rendering', () => {
  const created = parseManifests<KubeObject>(
    readFileSync(new URL('../../fixtures/kube/tools/helm-template-create-v4.1.4.yaml', import.meta.url), 'utf8'),
  );

  test("hooks are left out; helm's ownership label and annotations are added", () => {
    expect(created.map((o) => o.kind)).toEqual(['ServiceAccount', 'Service', 'Deployment', 'Pod']);
    const applied = helmAppliedObjects(created, { name: 'demo', namespace: 'demo-ns' });
    expect(applied.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/demo',
      'Service/demo',
      'Deployment/demo',
    ]);
    expect(applied[2]!.metadata.annotations).toEqual({
      'meta.helm.sh/release-name': 'demo',
      'meta.helm.sh/release-namespace': 'demo-ns',
    });
    expect((applied[2]!.metadata.labels as Record<string, string>)['app.kubernetes.io/managed-by']).toBe('Helm');
  });
});

describe('what a refusal says', () => {
  test("a Secret's values are never shown; a long value is cut", () => {
    // the chart's Secret (the reference chart's helm template capture) under another manager, in the shape of the
    // Server-Side Apply page's Update entry
    const rendered = parseManifests<KubeObject>(renderedText('v1.8.0')).find((o) => o.kind === 'Secret')!;
    const { managedFields } = doc.updatedByController!.metadata;
    const chartData = rendered.data as Record<string, string>;
    const liveSecret = structuredClone(rendered);
    liveSecret.data = { ...chartData, databasePassword: 'c2VjcmV0LWZyb20tc3RhZ2luZw==' };
    liveSecret.metadata.managedFields = [
      { ...managedFields![1]!, fieldsV1: { 'f:data': { 'f:databasePassword': {} } } },
    ];
    const conflicts = applyConflicts(liveSecret, rendered, { ours: [] });
    expect(conflicts.map((c) => c.field)).toEqual(['.data.databasePassword']);
    const refused = decideConflicts(conflicts, 'fail').refused!;
    expect(refused).toContain('Secret/platform-secrets .data.databasePassword is owned by "kube-controller-manager"');
    expect(refused).not.toContain('c2VjcmV0');
    expect(refused).not.toContain(chartData.databasePassword);
    const long = decideConflicts([{ ...conflicts[0]!, kind: 'ConfigMap', live: 'x'.repeat(500) }], 'fail').refused!;
    expect(long).toContain(`"${'x'.repeat(79)}… (502 chars)`);
  });
});
