import { BadInputError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { chartRelease } from '../../release/catalog.ts';
import { kubePreflight } from '../kube/preflight.ts';
import type { TargetProvider } from '../provider.ts';
import { pullableDigestsMustBeRecorded } from './image-refs.ts';

function contextOf(context: string | undefined): string {
  if (!context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  return context;
}

/** The cluster target: an existing cluster (a kubeconfig context), non-destructive unless allowed. */
export const clusterProvider: TargetProvider = {
  name: 'cluster',
  digestKind: 'image',
  keepServesInForeground: false,
  unsupported: () => ({}),
  async preflight(config, releases, pathVar) {
    contextOf(config.context);
    kubePreflight('cluster', releases, pathVar);
    // a registry cannot serve repo:tag@<image id>: refused before anything starts (exit 2)
    for (const r of releases) pullableDigestsMustBeRecorded(r);
    // then the doctor (issue 13): versions, the installed release, the plan and every permission it needs,
    // asked by SelfSubjectAccessReview; exit 3 with the Role that grants what is missing, before any write
    const { doctorOnCluster } = await import('./doctor-live.ts');
    const [from, to] = [releases[0]!, releases[releases.length - 1]!];
    // the plan's permissions do not depend on the run id (it names only the tenant prefix)
    await doctorOnCluster(config, { from, to }, `preflight-${from.name}-${to.name}`, createLogger('doctor'));
  },
  async create(config, ctx) {
    const { clusterTargetFor } = await import('./from-config.ts');
    return clusterTargetFor({ ...config, context: contextOf(config.context) }, ctx.runId, chartRelease(ctx.to), {
      clock: ctx.clock,
      log: createLogger('cluster'),
      harnessFault: ctx.harnessFault,
    });
  },
};
