import type { HelmRelease } from './helm.ts';
import type { KubeObject } from './managed-fields.ts';

/** The annotation that makes a manifest a hook (helm/helm v4.1.4 pkg/release/v1/hook.go `HookAnnotation`). */
const hookAnnotation = 'helm.sh/hook';

/**
 * What `helm upgrade` applies of a `helm template` rendering of the same chart and values (helm/helm v4.1.4):
 * hooks are sorted out of the release manifest (pkg/release/v1/util/manifest_sorter.go) and run apart, so they are
 * left out; every applied object gets helm's ownership label and annotations (pkg/action/upgrade.go
 * `performUpgrade` → pkg/action/validate.go `setMetadataVisitor`: `app.kubernetes.io/managed-by: Helm`,
 * `meta.helm.sh/release-name`, `meta.helm.sh/release-namespace`).
 */
export function helmAppliedObjects(rendered: readonly KubeObject[], release: HelmRelease): KubeObject[] {
  return rendered
    .filter((o) => !(hookAnnotation in annotationsOf(o)))
    .map((o) => ({
      ...o,
      metadata: {
        ...o.metadata,
        labels: { ...labelsOf(o), 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          ...annotationsOf(o),
          'meta.helm.sh/release-name': release.name,
          'meta.helm.sh/release-namespace': release.namespace,
        },
      },
    }));
}

const annotationsOf = (o: KubeObject) => (o.metadata.annotations ?? {}) as Record<string, string>;
const labelsOf = (o: KubeObject) => (o.metadata.labels ?? {}) as Record<string, string>;
