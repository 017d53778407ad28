/**
 * The RBAC a cluster run needs in the platform's namespace, checked one by one with SelfSubjectAccessReview
 * (authorization.k8s.io/v1: "checks whether the current user can perform an action"; spec.resourceAttributes
 * namespace, verb, group, resource, subresource — kubernetes/website content/en/docs/reference/kubernetes-api/
 * authorization-resources/self-subject-access-review-v1.md). Where a verb comes from:
 * - helm upgrade/rollback (Helm 4, server-side apply): `get` then `patch` (apply) of every chart object, `create`
 *   of new ones, `delete` of removed ones (helm/helm pkg/kube/client.go `Update`); the release record is a Secret
 *   `sh.helm.release.v1.<release>.v<revision>` labelled `owner=helm`, listed, created and updated
 *   (helm/helm pkg/storage/driver/secrets.go `List`, `Create`, `Update`; pkg/storage/storage.go `makeKey`);
 *   `--wait=watcher` lists and watches what it waits on.
 * - the hand edit: `get` and `patch` of the component's ConfigMap.
 * - informers on pods, EndpointSlices and Jobs: `list`, `watch`; logs: `pods/log` `get`; events `list`.
 * - tunnels (`kubectl port-forward`): `create` on `pods/portforward`, `get` on services and pods.
 */
export interface Permission {
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
  why: string;
}

/** API group and plural resource of the kinds a chart renders. */
export const resourceOfKind: Record<string, { group: string; resource: string }> = {
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  Service: { group: '', resource: 'services' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  Job: { group: 'batch', resource: 'jobs' },
  PodDisruptionBudget: { group: 'policy', resource: 'poddisruptionbudgets' },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
};

export interface PermissionInputs {
  /** Kinds the chart renders at N and N+1. */
  chartKinds: readonly string[];
  /** Objects removed by the upgrade (helm deletes them). */
  deletes: boolean;
  /** Objects added by the upgrade (helm creates them). */
  creates: boolean;
  allowDestructive: boolean;
  /** Load and services through port-forwards (no --gateway-url: also the gateway). */
  portForward: boolean;
}

export function neededPermissions(i: PermissionInputs): Permission[] {
  const out: Permission[] = [];
  const add = (group: string, resource: string, verbs: string[], why: string, subresource?: string) => {
    for (const verb of verbs) out.push({ group, resource, verb, why, ...(subresource ? { subresource } : {}) });
  };
  const applyVerbs = [
    'get',
    'list',
    'watch',
    'patch',
    ...(i.creates ? ['create'] : []),
    ...(i.deletes ? ['delete'] : []),
  ];
  for (const kind of [...new Set(i.chartKinds)].sort()) {
    const r = resourceOfKind[kind];
    if (!r) throw new Error(`permissions: no API resource known for kind ${kind} (add it to resourceOfKind)`);
    if (kind === 'Secret' || kind === 'ConfigMap') continue;
    add(r.group, r.resource, applyVerbs, `helm upgrade applies the chart's ${kind}s (server-side)`);
  }
  add('', 'configmaps', applyVerbs, "helm applies the chart's ConfigMaps; the hand edit patches one and reverts it");
  add(
    '',
    'secrets',
    ['get', 'list', 'watch', 'create', 'update', 'patch'],
    'helm release records and the chart Secret',
  );
  add('', 'pods', ['get', 'list', 'watch'], 'rollout informers, readiness, release-pinned');
  add('', 'pods', ['get'], 'component logs for the report', 'log');
  add('discovery.k8s.io', 'endpointslices', ['list', 'watch'], 'which pods serve each Service (timeline, tunnels)');
  add('batch', 'jobs', ['list', 'watch'], 'helm hook Jobs in the timeline');
  add('', 'events', ['list'], "the namespace's events for the report");
  add('apps', 'replicasets', ['list', 'watch'], 'helm --wait=watcher follows rollouts');
  if (i.portForward) {
    add('', 'services', ['get'], 'port-forward resolves a Service to a pod');
    add('', 'pods', ['create'], 'loopback tunnels (kubectl port-forward)', 'portforward');
  }
  return dedupe(out);
}

function dedupe(list: Permission[]): Permission[] {
  const seen = new Map<string, Permission>();
  for (const p of list) {
    const key = `${p.group}/${p.resource}/${p.subresource ?? ''}/${p.verb}`;
    const had = seen.get(key);
    seen.set(key, had ? { ...had, why: had.why.includes(p.why) ? had.why : `${had.why}; ${p.why}` } : p);
  }
  return [...seen.values()];
}

/** `pods/portforward` as RBAC rules and `kubectl auth can-i` write it. */
export function resourceName(p: Pick<Permission, 'resource' | 'subresource'>): string {
  return p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
}

/** The SelfSubjectAccessReview that asks for one permission in a namespace. */
export function accessReview(p: Permission, namespace: string) {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        namespace,
        verb: p.verb,
        group: p.group,
        resource: p.resource,
        ...(p.subresource ? { subresource: p.subresource } : {}),
      },
    },
  } as const;
}
