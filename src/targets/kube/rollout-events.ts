import type { V1EndpointSlice, V1Job, V1Pod } from '@kubernetes/client-node';
import type { RolloutEvent, RolloutEventKind } from '../../common/rollout-event.ts';
import { podState } from './pod-state.ts';

/**
 * Kubernetes objects → timeline events, the same kinds as every target's (`common/rollout-event.ts`), as pure
 * functions of an object's previous and next state (an informer's ADD, UPDATE and DELETE). Mapping:
 * pod added → `replica-created`; Ready condition True/False → `replica-ready` / `replica-unready`;
 * deletionTimestamp set → `sigterm`, stamped when the kubelet sends it: at once, or when the main container's
preStop sleep ends (`detail.stampedAt: 'preStop end'`); main container terminated by signal 9 or
 * with exit 137 → `sigkill`, otherwise terminated or pod deleted → `replica-exited`; an EndpointSlice
 * endpoint becoming ready / leaving → `endpoint-added` / `endpoint-removed`; a Helm hook Job created /
 * finished → `replica-created` / `replica-exited` with `detail.hook`.
 */
export type EventDraft = Omit<RolloutEvent, 't'> & {
  kind: RolloutEventKind;
  component: string;
  replica: string;
  /** Stamp the event this long after it was observed (a SIGTERM that waits for a preStop sleep). */
  delayMs?: number;
};

/**
 * The preStop `sleep` of the pod's main container (named as the component), in seconds; 0 without one. The
 * kubelet runs the preStop hook first and sends SIGTERM only when it returns ("Pod termination",
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).
 */
export function preStopSleepSeconds(pod: V1Pod | undefined, component: string): number {
  const containers = pod?.spec?.containers ?? [];
  const main = containers.find((c) => c.name === component) ?? containers[0];
  const seconds = (main?.lifecycle?.preStop as { sleep?: { seconds?: number } } | undefined)?.sleep?.seconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds : 0;
}

export function podEvents(prev: V1Pod | undefined, next: V1Pod | undefined): EventDraft[] {
  const before = prev ? podState(prev) : undefined;
  const after = next ? podState(next) : undefined;
  const p = after ?? before;
  if (!p) return [];
  const base = { component: p.component, replica: p.name, version: p.version };
  const out: EventDraft[] = [];
  if (!before && after) out.push({ kind: 'replica-created', ...base });
  if (after && after.ready !== (before?.ready ?? false)) {
    out.push({ kind: after.ready ? 'replica-ready' : 'replica-unready', ...base });
  }
  if (after?.terminating && !before?.terminating) {
    // Observed at the deletion timestamp; the signal itself comes when the preStop sleep ends: stamped then.
    const grace = next?.metadata?.deletionGracePeriodSeconds;
    const preStop = preStopSleepSeconds(next, base.component);
    const detail = {
      ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
      ...(preStop > 0 ? { preStopSeconds: preStop, stampedAt: 'preStop end' } : {}),
    };
    out.push({
      kind: 'sigterm',
      ...base,
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
      ...(preStop > 0 ? { delayMs: preStop * 1000 } : {}),
    });
  }
  if (after?.terminated && !before?.terminated) {
    const t = after.terminated;
    const killed = t.signal === 9 || t.exitCode === 137;
    out.push({ kind: killed ? 'sigkill' : 'replica-exited', ...base, detail: { ...t, restarts: after.restarts } });
  }
  if (before && !after) {
    if (before.ready) out.push({ kind: 'replica-unready', ...base });
    out.push({ kind: 'replica-exited', ...base, detail: { deleted: true } });
  }
  return out;
}

/** Ready endpoints of a slice, by the pod that backs them. */
function readyTargets(slice: V1EndpointSlice | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of slice?.endpoints ?? []) {
    // Kubernetes: a nil `ready` means ready (EndpointSlice API).
    if (e.conditions?.ready === false) continue;
    const name = e.targetRef?.name ?? e.addresses.join(',');
    out.add(name);
  }
  return out;
}

/** Endpoint changes of one Service's slice: which pods started and stopped receiving traffic. */
export function endpointSliceEvents(
  prev: V1EndpointSlice | undefined,
  next: V1EndpointSlice | undefined,
): EventDraft[] {
  const slice = next ?? prev;
  const component = slice?.metadata?.labels?.['kubernetes.io/service-name'] ?? 'unknown';
  const before = readyTargets(prev);
  const after = readyTargets(next);
  const out: EventDraft[] = [];
  for (const pod of after) {
    if (!before.has(pod)) out.push({ kind: 'endpoint-added', component, replica: pod, version: '' });
  }
  for (const pod of before) {
    if (!after.has(pod)) out.push({ kind: 'endpoint-removed', component, replica: pod, version: '' });
  }
  return out;
}

type JobEnd = 'Complete' | 'Failed' | undefined;
function jobEnd(job: V1Job | undefined): JobEnd {
  const c = (job?.status?.conditions ?? []).find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c?.type as JobEnd;
}

/** Helm hook Jobs (annotation `helm.sh/hook`): created, then complete or failed. Other Jobs are ignored. */
export function jobEvents(prev: V1Job | undefined, next: V1Job | undefined): EventDraft[] {
  const job = next ?? prev;
  const hook = job?.metadata?.annotations?.['helm.sh/hook'];
  if (!job || !hook) return [];
  const base = {
    component: job.metadata?.labels?.app ?? job.metadata?.name ?? 'job',
    replica: job.metadata?.name ?? '',
    version: job.metadata?.labels?.['app.kubernetes.io/version'] ?? '',
  };
  const out: EventDraft[] = [];
  if (!prev && next) out.push({ kind: 'replica-created', ...base, detail: { hook } });
  const end = jobEnd(next);
  if (end && end !== jobEnd(prev)) {
    out.push({
      kind: 'replica-exited',
      ...base,
      detail: { hook, outcome: end === 'Complete' ? 'succeeded' : 'failed', failed: next?.status?.failed ?? 0 },
    });
  }
  return out;
}
