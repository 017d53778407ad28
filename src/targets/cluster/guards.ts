import { BadInputError, StepFailedError } from '../../common/errors.ts';
import type { SafetyLimits } from '../safety.ts';

/** Options that make an existing cluster safe to certify against (DESIGN.md "Targets: cluster"). */
export interface ClusterSafety {
  allowDestructive: boolean;
  /** Cap of the load rate on a shared cluster (requests per second). */
  maxLoadRate: number;
  /** Run prefix of the seeded tenants (a short slug). */
  tenantPrefix: string;
  /** Deadline of the hand edit reaching every replica (default `clusterHandEditSeconds`). */
  handEditSeconds?: number;
  /** The platform's schemas (the only ones a backup dumps) and whether the dump stays in the report. */
  backup?: { schemas: readonly string[]; keep: boolean };
}

/**
 * A ConfigMap mounted in a pod is refreshed "as long as kubelet sync period (1 minute by default) + ttl of
 * ConfigMaps cache (1 minute by default)" after a change (kubernetes/website content/en/docs/tasks/
 * configure-pod-container/configure-pod-configmap.md, "Mounted ConfigMaps are updated automatically"); the
 * ConfigMap e2e test of kubernetes/kubernetes waits 150 s for it (PR #21573 raised it from 90 s). So does upcert.
 */
export const clusterHandEditSeconds = 150;

/** The safety limits an installed cluster platform declares to the journey. */
export function clusterLimits(s: ClusterSafety): SafetyLimits {
  const reason = 'refused on an existing cluster without --allow-destructive';
  return {
    rollback: s.allowDestructive ? { allowed: true } : { allowed: false, reason },
    restore: s.allowDestructive ? { allowed: true } : { allowed: false, reason },
    maxLoadRate: s.maxLoadRate,
    tenantPrefix: s.tenantPrefix,
    // harmless on shared traffic: the gateway only echoes it (never a request limit on a customer's gateway)
    handEdit: { setting: 'response-tag', deadlineSeconds: s.handEditSeconds ?? clusterHandEditSeconds },
    ...(s.backup ? { backup: s.backup } : {}),
  };
}

/** A destructive operation refused by the non-destructive default: a failed step naming the flag that allows it. */
export class DestructiveOperationRefused extends StepFailedError {
  constructor(readonly operation: string) {
    super(
      `${operation}: refused on an existing cluster (non-destructive by default; pass --allow-destructive to allow it)`,
    );
    this.name = 'DestructiveOperationRefused';
  }
}

export function mustAllow(
  operation: 'rollback' | 'restore' | 'delete namespace',
  s: Pick<ClusterSafety, 'allowDestructive'>,
): void {
  if (!s.allowDestructive) throw new DestructiveOperationRefused(operation);
}

/** What `helm get values --all` says is installed: the image tag of each release component. */
export function installedTags(values: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const tagOf = (key: string) => {
    const v = values?.[key] as { image?: { tag?: unknown } } | undefined;
    return v?.image?.tag === undefined ? undefined : String(v.image.tag);
  };
  return {
    gateway: tagOf('gateway'),
    'control-plane': tagOf('controlPlane'),
    console: tagOf('console'),
    identity: tagOf('identity'),
  };
}

/**
 * The cluster target starts only on the `--from` release: every component's installed image tag must equal
 * the release manifest's. Anything else is bad input (exit 2): the run would certify the wrong upgrade.
 */
export function installedReleaseMustBe(
  from: { name: string; components: Record<string, { image: { tag: string } }> },
  installed: Record<string, unknown> | undefined,
  where: string,
): void {
  if (!installed) {
    throw new BadInputError(`--from ${from.name}: no platform release is installed in ${where}`, { field: '--from' });
  }
  const tags = installedTags(installed);
  const differ = Object.entries(from.components)
    .filter(([c, pin]) => tags[c] !== pin.image.tag)
    .map(([c, pin]) => `${c} runs ${tags[c] ?? '(none)'}, ${from.name} pins ${pin.image.tag}`);
  if (differ.length > 0) {
    throw new BadInputError(
      `--from ${from.name}: the release installed in ${where} is not ${from.name} (${differ.join('; ')})`,
      {
        field: '--from',
      },
    );
  }
}

/** A run prefix from the run id: short, slug-safe, stable per run (`uc` + 6 hex digits of a hash of the id). */
export function runPrefix(runId: string): string {
  let h = 0;
  for (const ch of runId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `uc${h.toString(16).padStart(8, '0').slice(0, 6)}`;
}
