import type { V1Pod } from '@kubernetes/client-node';

/** What the rollout logic needs to know about a pod, read from the API object. */
export interface PodState {
  name: string;
  /** `app` label: the component (`gateway`, `control-plane`, ...). */
  component: string;
  /** `app.kubernetes.io/version` label: the release version the pod's image carries. */
  version: string;
  /** true when the PodReady condition is True. */
  ready: boolean;
  /** `metadata.deletionTimestamp` is set: the kubelet has sent SIGTERM. */
  terminating: boolean;
  phase: string;
  /** `status.containerStatuses[].imageID` of the component's container. */
  imageId: string | undefined;
  restarts: number;
  /** The main container's terminated state, when it has ended. */
  terminated: { exitCode: number; signal?: number; reason?: string } | undefined;
  /** The container is waiting with a reason (`ImagePullBackOff`, `CrashLoopBackOff`, `ErrImageNeverPull`). */
  waitingReason: string | undefined;
}

export function podState(pod: V1Pod): PodState {
  const labels = pod.metadata?.labels ?? {};
  const component = labels.app ?? labels['app.kubernetes.io/name'] ?? 'unknown';
  const statuses = pod.status?.containerStatuses ?? [];
  const main = statuses.find((s) => s.name === component) ?? statuses[0];
  const terminated = main?.state?.terminated;
  return {
    name: pod.metadata?.name ?? '',
    component,
    version: labels['app.kubernetes.io/version'] ?? 'unknown',
    ready: (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: Boolean(pod.metadata?.deletionTimestamp),
    phase: pod.status?.phase ?? 'Unknown',
    imageId: main?.imageID || undefined,
    restarts: main?.restartCount ?? 0,
    terminated: terminated
      ? { exitCode: terminated.exitCode, signal: terminated.signal, reason: terminated.reason }
      : undefined,
    waitingReason: main?.state?.waiting?.reason,
  };
}

/** Pods that are not ready and not on their way out: what log collection describes. */
export function unreadyPods(pods: readonly V1Pod[]): PodState[] {
  return pods.map(podState).filter((p) => !p.ready && !p.terminating && p.phase !== 'Succeeded');
}

/** Containers that restarted: their previous instance's logs (`kubectl logs --previous`) explain why. */
export function restartedContainers(pods: readonly V1Pod[]): { pod: string; container: string; restarts: number }[] {
  return pods.flatMap((pod) =>
    (pod.status?.containerStatuses ?? [])
      .filter((s) => s.restartCount > 0)
      .map((s) => ({ pod: pod.metadata?.name ?? '', container: s.name, restarts: s.restartCount })),
  );
}
