import { parseAllDocuments } from 'yaml';

/** One rendered Kubernetes object (just the parts chart-check reads; the rest stays untyped). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

/**
 * `helm template` output → objects (empty documents and documents without a kind and name dropped); `T` is the
 * caller's view of an object (chart-check's `KubeObject`, or the managedFields one of src/targets/kube).
 */
export function parseManifests<T extends Pick<KubeObject, 'kind' | 'metadata'> = KubeObject>(text: string): T[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as T | null)
    .filter((o): o is T => Boolean(o && typeof o === 'object' && o.kind && o.metadata?.name));
}

export const resourceOf = (o: Pick<KubeObject, 'kind' | 'metadata'>) => `${o.kind}/${o.metadata.name}`;

/** The pod template parts of a Deployment that the rules read. */
export interface PodTemplate {
  labels: Record<string, string>;
  terminationGracePeriodSeconds?: number;
  affinity?: {
    podAntiAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: { podAffinityTerm: AffinityTerm }[];
      requiredDuringSchedulingIgnoredDuringExecution?: AffinityTerm[];
    };
  };
  containers: Container[];
}
export interface AffinityTerm {
  topologyKey: string;
  labelSelector?: { matchLabels?: Record<string, string> };
}
export interface Container {
  name: string;
  image: string;
  readinessProbe?: { httpGet?: { path?: string; port?: unknown }; exec?: unknown; tcpSocket?: unknown };
  lifecycle?: { preStop?: { sleep?: { seconds?: number }; exec?: unknown; httpGet?: unknown } };
}

export function podTemplate(o: KubeObject): PodTemplate {
  const t = (o.spec?.template ?? {}) as {
    metadata?: { labels?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
  return {
    labels: t.metadata?.labels ?? {},
    ...(t.spec as Omit<PodTemplate, 'labels'>),
    containers: ((t.spec?.containers as Container[] | undefined) ?? []).map((c) => ({ ...c })),
  };
}

/** Whether `selector` (matchLabels) selects pods labelled `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
