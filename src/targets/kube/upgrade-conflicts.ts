import { parseManifests } from '../../chart-check/manifests.ts';
import { applyConflicts, type OwnershipConflict } from './apply-conflicts.ts';
import type { ApplyOptions, Helm } from './helm.ts';
import { helmAppliedObjects } from './helm-applied.ts';
import { handEditFieldManager, type Kubectl } from './kubectl.ts';
import type { KubeObject } from './managed-fields.ts';

/**
 * The field-manager conflicts a `helm upgrade --server-side=true` to `opts` would meet, found before it runs:
 * the chart rendered (`helm template`, as helm would apply it), the live objects read with their managedFields
 * (one `kubectl get ... --show-managed-fields`), and Server-Side Apply's rule (`applyConflicts`: a leaf another
 * manager owns that the chart sets to a different value). An object that does not exist yet has none.
 *
 * Why not a server dry run: in Helm 4 `helm upgrade --dry-run=server` returns before the apply (helm/helm v4.1.4
 * pkg/action/upgrade.go `performUpgrade`: `if isDryRun(...) { ... return }` comes before `KubeClient.Update`),
 * so the API server never sees the apply and never reports a conflict.
 *
 * Limits: `helm template` renders without the cluster, so a template that `lookup`s live objects renders as if
 * they were absent; the objects compared are then the chart's defaults, not what the live lookup would give.
 */
export async function upgradeConflicts(
  helm: Pick<Helm, 'release' | 'template'>,
  kubectl: Pick<Kubectl, 'liveObjects'>,
  opts: ApplyOptions,
): Promise<OwnershipConflict[]> {
  const intended = helmAppliedObjects(parseManifests<KubeObject>(await helm.template(opts)), helm.release);
  const live = await kubectl.liveObjects(
    intended.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name })),
  );
  return intended.flatMap((o) => {
    const current = live.find((l) => l.kind === o.kind && l.metadata.name === o.metadata.name);
    return current ? applyConflicts(current, o, { ours: [handEditFieldManager] }) : [];
  });
}

/** What an ApplyRecord keeps of a conflict: where, whose, which field (not the values: a ConfigMap's whole text). */
export function recordedConflict(c: OwnershipConflict): { kind: string; name: string; manager: string; field: string } {
  return { kind: c.kind, name: c.name, manager: c.manager, field: c.field };
}
