/**
 * Ownership, not force (issue 13): the conflicts a `helm upgrade` would meet, read from the live objects'
 * managedFields (test/fixtures/cluster/live-objects.yaml says where each shape comes from), and what each
 * conflict policy does with them.
 */
import { describe, expect, test } from 'vitest';
import { applyConflicts } from '../../../src/targets/kube/apply-conflicts.ts';
import { decideConflicts } from '../../../src/targets/kube/conflict-decision.ts';
import { handEditFieldManager } from '../../../src/targets/kube/kubectl.ts';
import type { KubeObject } from '../../../src/targets/kube/managed-fields.ts';
import { clusterFixture, renderedObjects } from '../../fixtures/cluster/load.ts';

const live = clusterFixture<Record<string, KubeObject>>('live-objects.yaml');
const chart = renderedObjects('v1.8.0');
const rendered = (kind: string, name: string) => chart.find((o) => o.kind === kind && o.metadata.name === name)!;
const ours = [handEditFieldManager];

describe('conflicts from managedFields', () => {
  test("the run's own hand edit: one conflict on .data.config.json, owned by upcert-hand-edit, which upcert may force", () => {
    const conflicts = applyConflicts(live.gatewayConfigHandEdited!, rendered('ConfigMap', 'gateway-config'), { ours });
    expect(conflicts.map((c) => [c.manager, c.field, c.ours])).toEqual([
      ['upcert-hand-edit', '.data.config.json', true],
    ]);
    expect(decideConflicts(conflicts, 'fail')).toEqual({ force: true });
  });

  test("an HPA's spec.replicas: a conflict with kube-controller-manager (via /scale) that fails the upgrade by default", () => {
    const withReplicas = structuredClone(rendered('Deployment', 'gateway'));
    const conflicts = applyConflicts(live.gatewayDeploymentUnderHpa!, withReplicas, { ours });
    expect(conflicts).toEqual([
      expect.objectContaining({
        manager: 'kube-controller-manager',
        subresource: 'scale',
        field: '.spec.replicas',
        live: 5,
        intended: 2,
        ours: false,
      }),
    ]);
    const decision = decideConflicts(conflicts, 'fail');
    expect(decision.force).toBe(false);
    expect(decision.refused).toContain(
      'Deployment/gateway .spec.replicas is owned by "kube-controller-manager" (Update via /scale; live 5, chart 2)',
    );
    // kind's policy: the cluster is upcert's own, every conflict is overridden (and recorded by the caller)
    expect(decideConflicts(conflicts, 'force')).toEqual({ force: true });
  });

  test('a chart that leaves spec.replicas unset claims nothing there: no conflict with the HPA', () => {
    const withoutReplicas = structuredClone(rendered('Deployment', 'gateway'));
    delete (withoutReplicas.spec as Record<string, unknown>).replicas;
    expect(applyConflicts(live.gatewayDeploymentUnderHpa!, withoutReplicas, { ours })).toEqual([]);
  });

  test('a GitOps controller owning the config: reported with its manager, never overridden under fail', () => {
    const conflicts = applyConflicts(live.gatewayConfigGitOps!, rendered('ConfigMap', 'gateway-config'), { ours });
    expect(conflicts.map((c) => c.manager)).toEqual(['argocd-controller']);
    expect(decideConflicts(conflicts, 'fail').refused).toContain('"argocd-controller"');
  });

  test('the same value is shared ownership, not a conflict (Server-Side Apply: "share ownership")', () => {
    const same = structuredClone(live.gatewayConfigGitOps!);
    (same.data as Record<string, string>)['config.json'] = (
      rendered('ConfigMap', 'gateway-config').data as Record<string, string>
    )['config.json']!;
    expect(applyConflicts(same, rendered('ConfigMap', 'gateway-config'), { ours })).toEqual([]);
  });
});
