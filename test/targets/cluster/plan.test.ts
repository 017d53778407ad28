/**
 * `upcert certify --target cluster --plan` holds the run (issue 13): every helm/kubectl write a run makes goes
 * through the plan guard, and the test compares what was invoked with what the plan lists. helm and kubectl
 * answer from the captured-cluster MOCK (support/captured-cluster.ts), which records every invocation.
 */
import { describe, expect, test } from 'vitest';
import { commandLine } from '../../../src/common/command.ts';
import { planText } from '../../../src/targets/cluster/plan-text.ts';
import {
  invocationOf,
  isWrite,
  plannedRunner,
  UnplannedWriteError,
} from '../../../src/targets/cluster/planned-runner.ts';
import { helmApplyArgs } from '../../../src/targets/kube/helm.ts';
import { capturedCluster } from './support/captured-cluster.ts';
import { clusterPlatform, planOf, prepared, where } from './support/cluster-platform.ts';

const edit = { component: 'gateway', path: 'gateway.responseTag', value: 'hand-edit-x' } as const;

function guarded(plan = planOf(), opts: Parameters<typeof capturedCluster>[0] = {}) {
  const cluster = capturedCluster(opts);
  const guard = plannedRunner(plan.writes, cluster.run);
  return { cluster, guard, plan, platform: clusterPlatform(guard, { allowDestructive: plan.helm.length > 1 }) };
}

const writes = (g: ReturnType<typeof guarded>['guard']) => g.record.filter((r) => r.write);

describe('the plan lists every write the run makes', () => {
  test('hand edit, then the upgrade: two writes, both planned, with the planned field managers and flags', async () => {
    const { guard, plan, platform, cluster } = guarded();
    await platform.editLive(edit);
    await platform.upgrade('v1.8.0');
    await platform.dispose();
    const made = writes(guard);
    expect(made.map((w) => w.planned)).toEqual(['hand-edit', 'helm-upgrade-force-own']);
    // the hand edit: kubectl patch of the planned ConfigMap under the planned field manager
    const patch = made[0]!.args;
    expect(invocationOf('kubectl', patch).target).toBe(`configmap/${plan.handEdit.configMap}`);
    expect(patch[patch.indexOf('--field-manager') + 1]).toBe(plan.handEdit.fieldManager);
    // the upgrade: exactly the command the plan printed, plus --force-conflicts (only upcert-hand-edit's field)
    expect(commandLine('helm', made[1]!.args)).toBe(
      commandLine('helm', helmApplyArgs('upgrade', where, { ...prepared('v1.8.0'), forceConflicts: true })),
    );
    expect(plan.helm[0]!.command).toBe(commandLine('helm', helmApplyArgs('upgrade', where, prepared('v1.8.0'))));
    // the upgrade rendered the ConfigMap again: no revert was needed, none was made
    expect(JSON.parse(cluster.configJson()).gateway.responseTag).toBe('chart');
    // reads are recorded too, never refused
    expect(guard.record.filter((r) => !r.write).map((r) => `${r.tool} ${invocationOf(r.tool, r.args).verb}`)).toEqual([
      'kubectl get',
      'helm template', // the chart as the upgrade applies it
      'kubectl get', // the live objects with their managedFields
      'helm history',
    ]);
  });

  test('every object the upgrade writes is in the plan, with the helm field manager', () => {
    const plan = planOf();
    const upgrade = plan.helm.find((h) => h.verb === 'upgrade')!;
    expect(upgrade.objects).toHaveLength(22);
    expect(upgrade.objects.every((o) => o.verb === 'patch')).toBe(true);
    expect(upgrade.objects).toContainEqual({ verb: 'patch', kind: 'ConfigMap', name: 'gateway-config' });
    expect(plan.writes.find((w) => w.id === 'helm-upgrade-record')!.name).toBe('sh.helm.release.v1.upcert.v2');
    const text = planText(plan);
    for (const o of upgrade.objects) expect(text).toContain(`${o.verb.padEnd(6)} ${o.kind}/${o.name}`);
    expect(text).toContain('Load: 50 req/s (cap 50)');
    expect(text).toContain('Data leaving the cluster: none');
    expect(text).toContain('hand edit gateway.responseTag');
  });

  test('a write outside the plan is refused before it runs', async () => {
    const { guard, cluster } = guarded();
    const del = ['--context', 'staging', 'delete', 'namespace', 'upcert-platform'];
    await expect(guard('kubectl', del, { timeoutMs: 1000 })).rejects.toBeInstanceOf(UnplannedWriteError);
    expect(cluster.calls).toEqual([]);
    // a rollback is a write the plan lists only with --allow-destructive
    const rollback = ['rollback', 'upcert', '1', '--namespace', 'upcert-platform', '--server-side=true'];
    await expect(guard('helm', rollback, { timeoutMs: 1000 })).rejects.toThrow(/not in the plan/);
    const allowed = plannedRunner(planOf({ allowDestructive: true }).writes, cluster.run);
    await expect(allowed('helm', rollback, { timeoutMs: 1000 })).resolves.toMatchObject({ exitCode: 0 });
  });

  test('reads and writes: what --plan itself runs is read-only', () => {
    expect(isWrite('helm', ['template', 'upcert', 'chart.tgz'])).toBe(false);
    expect(isWrite('helm', ['history', 'upcert', '-o', 'json'])).toBe(false);
    expect(isWrite('helm', ['get', 'values', 'upcert', '--all'])).toBe(false);
    expect(isWrite('helm', ['upgrade', 'upcert', 'c.tgz', '--dry-run=server'])).toBe(false);
    expect(isWrite('kubectl', ['--context', 'x', 'get', 'configmap', 'gateway-config', '-o', 'json'])).toBe(false);
    expect(isWrite('helm', ['upgrade', 'upcert', 'c.tgz'])).toBe(true);
    expect(isWrite('kubectl', ['--context', 'x', 'annotate', 'pod', 'p', 'a=b'])).toBe(true);
  });
});

describe('conflicts and failures on a shared cluster', () => {
  test('an HPA owning spec.replicas: the upgrade fails naming kube-controller-manager, and nothing is forced', async () => {
    const { guard, platform, cluster } = guarded(planOf(), { hpaOwnsReplicas: true });
    await platform.editLive(edit);
    await expect(platform.upgrade('v1.8.0')).rejects.toThrow(/\.spec\.replicas is owned by "kube-controller-manager"/);
    expect(writes(guard).map((w) => w.planned)).toEqual(['hand-edit']);
    // the run stops there: its teardown puts the chart's value back (a planned write)
    await platform.dispose();
    expect(writes(guard).map((w) => w.planned)).toEqual(['hand-edit', 'hand-edit']);
    expect(JSON.parse(cluster.configJson()).gateway.responseTag).toBe('chart');
  });

  test('a failed upgrade leaves the release as helm left it and says the exact rollback command', async () => {
    const { platform, guard } = guarded(planOf(), { upgradeFails: true });
    const error = await platform.upgrade('v1.8.0').catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'the release is left as helm left it; to roll back: helm rollback upcert 1 --namespace upcert-platform --kube-context staging --server-side=true --wait=watcher --timeout 600s',
    );
    expect(writes(guard).map((w) => w.planned)).toEqual(['helm-upgrade']);
  });

  test('with --allow-destructive a failed upgrade is rolled back, a planned write', async () => {
    const { platform, guard } = guarded(planOf({ allowDestructive: true }), { upgradeFails: true });
    const error = await platform.upgrade('v1.8.0').catch((e: Error) => e);
    expect((error as Error).message).toContain('rolled back to revision 1 (--allow-destructive)');
    expect(writes(guard).map((w) => w.planned)).toEqual(['helm-upgrade', 'helm-rollback']);
  });
});
