import { execaRunner } from '../../common/command.ts';
import { BadInputError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { UpcertConfig } from '../../config/schema.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { apiAccessReviewer } from './access-review.ts';
import { type DoctorDeps, runDoctor } from './doctor.ts';
import { clusterTargetFor } from './from-config.ts';

/**
 * The doctor against the cluster of `--context`: helm and kubectl as they are on PATH, SelfSubjectAccessReview
 * through the API, the plan of a run with this configuration (`runId` names its tenant prefix).
 */
export async function doctorOnCluster(
  config: UpcertConfig,
  releases: { from: LoadedRelease; to: LoadedRelease },
  runId: string,
  log: Logger,
): Promise<void> {
  const context = config.context;
  if (!context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  const deps: DoctorDeps = {
    run: execaRunner,
    review: apiAccessReviewer(context),
    plan: () => clusterTargetFor({ ...config, context }, runId, releases.to, { log }).plan(releases.from),
    log,
  };
  const commandTimeoutMs = config.timeouts.kubeCommandSeconds * 1000;
  await runDoctor({ context, namespace: config.kube.namespace, commandTimeoutMs }, releases, deps);
}
