import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { newRunId } from '../journey/run-id.ts';
import { loadRelease } from '../release/catalog.ts';
import { doctorOnCluster } from '../targets/cluster/doctor-live.ts';
import { requireTools } from '../targets/kube/tools.ts';

/**
 * `upcert doctor --target cluster` (also the preflight of a cluster run): tools and their versions, the
 * installed release, registry digests, then every permission of the plan by SelfSubjectAccessReview.
 * Exit 0 when all hold; exit 3 naming what is missing, with the Role that grants it.
 */
export async function doctor(config: UpcertConfig): Promise<number> {
  if (config.target !== 'cluster')
    throw new BadInputError('doctor: only --target cluster is checked', { field: '--target' });
  if (!config.context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  requireTools('cluster', process.env.PATH);
  const releases = { from: loadRelease(config.from), to: loadRelease(config.to) };
  await doctorOnCluster(config, releases, newRunId(config.from, config.to), createLogger('doctor'));
  return 0;
}
