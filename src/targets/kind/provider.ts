import path from 'node:path';
import { createLogger } from '../../common/logger.ts';
import { chartRelease } from '../../release/catalog.ts';
import { kubePreflight } from '../kube/preflight.ts';
import type { TargetProvider } from '../provider.ts';

/** The kind target: a throw-away kind cluster, the release's images loaded into it, Helm. */
export const kindProvider: TargetProvider = {
  name: 'kind',
  digestKind: 'image',
  keepServesInForeground: false,
  unsupported: () => ({}),
  async preflight(_config, releases, pathVar) {
    kubePreflight('kind', releases, pathVar);
  },
  async create(config, ctx) {
    const { KindTarget } = await import('./kind-target.ts');
    return new KindTarget({
      clusterName: config.kube.clusterName,
      topology: config.kube.topology,
      kubernetes: config.kube.kubernetes,
      // N+1's images are loaded with N's, before the load starts (never inside the measured window)
      preload: [chartRelease(ctx.to)],
      harnessFault: ctx.harnessFault,
      namespace: config.kube.namespace,
      releaseName: config.kube.releaseName,
      conflictPolicy: config.kube.conflictPolicy,
      valuesFiles: config.valuesFiles,
      keep: config.keep,
      logsDir: path.join(ctx.reportDir, 'logs'),
      clock: ctx.clock,
      timeouts: config.timeouts,
      log: createLogger('kind'),
    });
  },
};
