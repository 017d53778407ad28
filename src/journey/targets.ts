import path from 'node:path';
import type { RunState } from '../checks/run-state.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import type { Target } from '../targets/target.ts';

/**
 * The target a run asked for, configured from the run's configuration. Each target is imported only when
 * asked for: a local run never loads the Kubernetes client (seconds of start-up).
 */
export async function targetFor(run: RunState): Promise<Target> {
  const { config } = run;
  switch (config.target) {
    case 'local': {
      const { LocalTarget } = await import('../targets/local/index.ts');
      return new LocalTarget({
        highAvailability: config.local.highAvailability,
        endpointPropagationMs: config.local.endpointPropagationMs,
        ports: config.local.ports,
        valuesFiles: config.valuesFiles,
        clock: run.clock,
        log: createLogger('local'),
        timeouts: {
          installSeconds: config.timeouts.installSeconds,
          progressDeadlineSeconds: config.timeouts.progressDeadlineSeconds,
        },
      });
    }
    case 'kind': {
      const { KindTarget } = await import('../targets/kind/index.ts');
      return new KindTarget({
        clusterName: config.kube.clusterName,
        topology: config.kube.topology,
        kubernetes: config.kube.kubernetes,
        // N+1's images are loaded with N's, before the load starts (never inside the measured window)
        preload: [run.to],
        harnessFault: run.harnessFault,
        namespace: config.kube.namespace,
        releaseName: config.kube.releaseName,
        conflictPolicy: config.kube.conflictPolicy,
        valuesFiles: config.valuesFiles,
        keep: config.keep,
        logsDir: path.join(run.reportDir, 'logs'),
        clock: run.clock,
        log: createLogger('kind'),
      });
    }
    case 'cluster': {
      if (!config.context)
        throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
      const { ClusterTarget, runPrefix } = await import('../targets/cluster/index.ts');
      return new ClusterTarget({
        context: config.context,
        namespace: config.kube.namespace,
        releaseName: config.kube.releaseName,
        conflictPolicy: config.kube.conflictPolicy,
        valuesFiles: config.valuesFiles,
        allowDestructive: config.allowDestructive,
        maxLoadRate: config.kube.maxLoadRate,
        tenantPrefix: runPrefix(run.runId),
        clock: run.clock,
        log: createLogger('cluster'),
      });
    }
    default:
      throw new BadInputError(
        `--target ${config.target}: not available in this version of upcert (use --target local)`,
        {
          field: '--target',
        },
      );
  }
}
