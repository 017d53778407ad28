import type { V1Pod } from '@kubernetes/client-node';
import type { ChartReleaseManifest } from '../../release/manifest.ts';
import { componentNames } from '../../release/manifest.ts';
import type { ComponentStatus, ReplicaStatus } from '../target.ts';
import { reportedDigest } from './image-digest.ts';
import { podState } from './pod-state.ts';

const joinDistinct = (values: (string | undefined)[]) => [...new Set(values.map((v) => v ?? 'unknown'))].join(',');

/**
 * What runs of each release component (`release-pinned` on Kubernetes): one replica per pod that is not
 * terminating; the version is the pod's `app.kubernetes.io/version` label (the image tag the chart ran) and
 * the digest comes from its container's imageID, traced through the node's image table (`aliases`) so that
 * a kind-loaded image reports the digest recorded at build when, and only when, it is that image.
 */
export function componentStatuses(
  pods: readonly V1Pod[],
  release: Pick<ChartReleaseManifest, 'components'>,
  aliases?: ReadonlyMap<string, string>,
): ComponentStatus[] {
  const live = pods.map(podState).filter((p) => !p.terminating);
  return componentNames.map((name) => {
    const recorded = release.components[name].image.digest;
    const replicas: ReplicaStatus[] = live
      .filter((p) => p.component === name)
      .map((p) => ({
        id: p.name,
        version: p.version,
        digest: reportedDigest(p.imageId, recorded, aliases),
        ready: p.ready,
        phase: p.waitingReason ?? p.phase,
      }));
    const ready = replicas.filter((r) => r.ready);
    return {
      name,
      version: joinDistinct(ready.map((r) => r.version)),
      digest: joinDistinct(ready.map((r) => r.digest)),
      readyReplicas: ready.length,
      replicas,
    };
  });
}
