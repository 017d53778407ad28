import type { Values } from '../common/deep-merge.ts';
import type { LoadedRelease } from '../release/catalog.ts';
import { type ComponentName, componentNames } from '../release/manifest.ts';
import type { Finding } from './finding.ts';
import type { KubeObject } from './manifests.ts';

/** What every chart rule reads: the rendered objects, the values they came from, and the release. */
export interface ChartContext {
  objects: KubeObject[];
  values: Values;
  release: Pick<LoadedRelease, 'name' | 'components'>;
  highAvailability: boolean;
  /** A release whose image digests were never recorded passes the image rule on `repository:tag` alone. */
  allowUnbuilt: boolean;
  /** The release being upgraded from (`chart-check --from`), rendered the same way: rules that compare N and N+1. */
  previous?: { release: string; objects: KubeObject[] };
}

/** A declared chart rule (a registry entry, like the checks): id, the promise it holds the chart to, and its test. */
export interface ChartRule {
  id: string;
  description: string;
  check(ctx: ChartContext): Finding[];
}

/** The Deployment of each release component (named as the component), or a finding that it is missing. */
export function componentDeployments(
  ctx: ChartContext,
  rule: string,
): { deployments: [ComponentName, KubeObject][]; missing: Finding[] } {
  const deployments: [ComponentName, KubeObject][] = [];
  const missing: Finding[] = [];
  for (const c of componentNames) {
    const d = ctx.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === c);
    if (d) deployments.push([c, d]);
    else missing.push({ rule, resource: `Deployment/${c}`, field: '(resource)', message: 'not rendered' });
  }
  return { deployments, missing };
}
