import { handEditPaths, handEditValue } from '../../common/hand-edit-value.ts';
import type { Logger } from '../../common/logger.ts';
import type { Clock } from '../../common/timeline.ts';
import type { UpcertConfig } from '../../config/schema.ts';
import { loadPlatform } from '../../platform/profile.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import type { HarnessFaultSink } from '../../report/harness-fault.ts';
import { ClusterTarget } from './cluster-target.ts';
import { clusterHandEditSeconds, runPrefix } from './guards.ts';

/** The platform's schemas a backup dumps (CONTRACT.md "Database"): never the rest of a staging database. */
export const platformSchemas = ['public', 'identity', 'console'];

/** The cluster target of a run, from its resolved configuration (the certify run and `--plan` alike). */
export function clusterTargetFor(
  config: UpcertConfig & { context: string },
  runId: string,
  to: LoadedRelease,
  extra: { clock?: Clock; log?: Logger; harnessFault?: HarnessFaultSink } = {},
): ClusterTarget {
  const setting = config.handEdit.setting ?? 'response-tag';
  const adapter = loadPlatform(config.platform).tenants?.adapter;
  const handEditSeconds = config.timeouts.handEditSeconds ?? clusterHandEditSeconds;
  return new ClusterTarget({
    context: config.context,
    namespace: config.kube.namespace,
    releaseName: config.kube.releaseName,
    conflictPolicy: config.kube.conflictPolicy,
    valuesFiles: config.valuesFiles,
    allowDestructive: config.allowDestructive,
    maxLoadRate: config.kube.maxLoadRate,
    tenantPrefix: runPrefix(runId),
    handEditSeconds,
    backup: { schemas: platformSchemas, keep: config.cluster.keepBackup },
    to,
    timeouts: config.timeouts,
    registry: config.cluster.registry,
    shape: {
      handEdit: {
        component: 'gateway',
        path: handEditPaths[setting],
        value: handEditValue(setting, runId),
        deadlineSeconds: handEditSeconds,
      },
      load: { gatewayUrl: config.cluster.gatewayUrl, ratePerSec: config.load.rate, capPerSec: config.kube.maxLoadRate },
      providerUrl: config.cluster.providerUrl,
      keepBackup: config.cluster.keepBackup,
      schemas: platformSchemas,
      ...(adapter ? { tenantAdapter: adapter } : {}),
    },
    ...extra,
  });
}
