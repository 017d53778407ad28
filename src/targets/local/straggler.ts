import path from 'node:path';
import type { Straggler } from '../target.ts';
import type { Deployment } from './deployment.ts';
import { Replica } from './replica.ts';
import type { WorkloadSettings } from './workload-settings.ts';

/**
 * A replica of a component's current release that is not behind the component's Service: what a pod the
 * rollout has not replaced yet (held by a PodDisruptionBudget, slow to terminate, on a cordoned node) is
 * during an upgrade. It runs, polls and writes like any replica; the run talks to it directly.
 */
export async function startStraggler(
  deployment: Deployment,
  revision: { version: string; bundle: string; settings: WorkloadSettings },
  deadlineMs: number,
): Promise<Straggler> {
  const { spec } = deployment;
  const id = `${spec.name}-${revision.version}-straggler`;
  const replica = Replica.start({
    component: spec.name,
    version: revision.version,
    id,
    bundle: revision.bundle,
    configFile: spec.configFile,
    secretsFile: spec.secretsFile,
    logFile: path.join(spec.logsDir, `${id}.log`),
    settings: revision.settings,
    timeline: spec.timeline,
    onReadiness: () => undefined, // never an endpoint of the Service
  });
  const stop = async () => {
    await replica.terminate();
  };
  try {
    await replica.whenReady(deadlineMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    id,
    version: revision.version,
    url: `http://127.0.0.1:${replica.port}`,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
