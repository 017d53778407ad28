import { BadInputError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { kubePreflight } from '../kube/preflight.ts';
import type { TargetProvider } from '../provider.ts';
import { runPrefix } from './guards.ts';

function contextOf(context: string | undefined): string {
  if (!context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  return context;
}

/** The cluster target: an existing cluster (a kubeconfig context), non-destructive unless allowed. */
export const clusterProvider: TargetProvider = {
  name: 'cluster',
  digestKind: 'image',
  unsupported: () => ({}),
  async preflight(config, releases, pathVar) {
    contextOf(config.context);
    kubePreflight('cluster', releases, pathVar);
  },
  async create(config, ctx) {
    const { ClusterTarget } = await import('./cluster-target.ts');
    return new ClusterTarget({
      context: contextOf(config.context),
      namespace: config.kube.namespace,
      releaseName: config.kube.releaseName,
      conflictPolicy: config.kube.conflictPolicy,
      valuesFiles: config.valuesFiles,
      allowDestructive: config.allowDestructive,
      maxLoadRate: config.kube.maxLoadRate,
      tenantPrefix: runPrefix(ctx.runId),
      clock: ctx.clock,
      timeouts: config.timeouts,
      log: createLogger('cluster'),
    });
  },
};
