import type { V1EndpointSlice } from '@kubernetes/client-node';

/** Pods a Service's EndpointSlices call ready (a nil `ready` condition means ready, per the API). */
export function readyPodsOf(slices: Iterable<V1EndpointSlice>, service: string): Set<string> {
  const out = new Set<string>();
  for (const slice of slices) {
    if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== service) continue;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false || e.targetRef?.kind !== 'Pod' || !e.targetRef.name) continue;
      out.add(e.targetRef.name);
    }
  }
  return out;
}
