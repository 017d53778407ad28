import { BadInputError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { UpcertConfig } from '../../config/schema.ts';
import { chartRelease, type LoadedRelease } from '../../release/catalog.ts';
import { kubePreflight } from '../kube/preflight.ts';
import type { TargetProvider } from '../provider.ts';
import { pullableDigestsMustBeRecorded } from './image-refs.ts';

function contextOf(context: string | undefined): string {
  if (!context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  return context;
}

/** The doctor against the cluster (`doctor-live.ts`); a test gives its own. */
export type ClusterDoctor = (
  config: UpcertConfig,
  releases: { from: LoadedRelease; to: LoadedRelease },
  runId: string,
) => Promise<void>;

const liveDoctor: ClusterDoctor = async (config, releases, runId) => {
  const { doctorOnCluster } = await import('./doctor-live.ts');
  await doctorOnCluster(config, releases, runId, createLogger('doctor'));
};

/**
 * The cluster run's preflight: the context, helm and kubectl on PATH, images pinned by registry digest (a
 * registry cannot serve repo:tag@<image id>: exit 2), then the doctor (issue 13): versions, the installed
 * release, the plan and every permission it needs by SelfSubjectAccessReview; exit 3 with the Role that grants
 * what is missing, before anything is written.
 */
export async function clusterPreflight(
  config: UpcertConfig,
  releases: readonly LoadedRelease[],
  pathVar: string | undefined,
  doctor: ClusterDoctor = liveDoctor,
): Promise<void> {
  contextOf(config.context);
  kubePreflight('cluster', releases, pathVar);
  for (const r of releases) pullableDigestsMustBeRecorded(r);
  const [from, to] = [releases[0]!, releases[releases.length - 1]!];
  // the plan's permissions do not depend on the run id (it names only the tenant prefix)
  await doctor(config, { from, to }, `preflight-${from.name}-${to.name}`);
}

/** The cluster target: an existing cluster (a kubeconfig context), non-destructive unless allowed. */
export const clusterProvider: TargetProvider = {
  name: 'cluster',
  digestKind: 'image',
  keepServesInForeground: false,
  unsupported: () => ({}),
  preflight: (config, releases, pathVar) => clusterPreflight(config, releases, pathVar),
  async create(config, ctx) {
    const { clusterTargetFor } = await import('./from-config.ts');
    return clusterTargetFor({ ...config, context: contextOf(config.context) }, ctx.runId, chartRelease(ctx.to), {
      clock: ctx.clock,
      log: createLogger('cluster'),
      harnessFault: ctx.harnessFault,
    });
  },
};
