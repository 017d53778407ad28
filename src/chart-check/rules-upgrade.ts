import { componentNames } from '../release/manifest.ts';
import type { ChartRule } from './context.ts';
import type { Finding } from './finding.ts';
import { type KubeObject, resourceOf } from './manifests.ts';

/** Workload kinds whose controllers replace every pod when `spec.template` changes. */
const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The dotted paths at which two JSON values differ, with both values (`a.b[2].c`). */
export function differences(
  before: unknown,
  after: unknown,
  at = '',
): { path: string; before: unknown; after: unknown }[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
    return [{ path: at, before, after }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((k) => {
    const next = Array.isArray(before) ? `${at}[${k}]` : at ? `${at}.${k}` : k;
    return differences(before[k], after[k], next);
  });
}

/**
 * The pod templates of workloads that no release pins (PostgreSQL, provider-mock: never upgraded) must be
 * byte-identical between the chart of N and of N+1. A template change re-creates every pod ("A Deployment's
 * rollout is triggered if and only if the Deployment's Pod template (.spec.template) is changed":
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/), so a chart-version label or a
 * shared config checksum there restarts the database under load on every upgrade and rollback.
 */
export function podTemplateChanges(
  before: readonly KubeObject[],
  after: readonly KubeObject[],
  rule: string,
): Finding[] {
  const upgraded = new Set<string>(componentNames);
  const findings: Finding[] = [];
  for (const next of after) {
    if (!workloadKinds.has(next.kind) || upgraded.has(next.metadata.name)) continue;
    const prev = before.find((o) => o.kind === next.kind && o.metadata.name === next.metadata.name);
    if (!prev) continue;
    for (const d of differences(prev.spec?.template, next.spec?.template, 'spec.template').slice(0, 5)) {
      findings.push({
        rule,
        resource: resourceOf(next),
        field: d.path,
        message: `${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}: this workload is not upgraded, yet its pods would restart`,
      });
    }
  }
  return findings;
}

export const podTemplateStable: ChartRule = {
  id: 'pod-template-stable',
  description: 'workloads that are not upgraded (database, mocks) keep the same pod template from N to N+1',
  check(ctx) {
    return ctx.previous ? podTemplateChanges(ctx.previous.objects, ctx.objects, this.id) : [];
  },
};
