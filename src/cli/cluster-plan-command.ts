import { BadInputError } from '../common/errors.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { newRunId } from '../journey/run-id.ts';
import { loadRelease } from '../release/catalog.ts';
import { clusterTargetFor } from '../targets/cluster/from-config.ts';
import { planText } from '../targets/cluster/plan-text.ts';

/**
 * `upcert certify --target cluster --plan`: what the run would write, seed, edit and need, from reads only
 * (helm history, helm get values, helm template); nothing is changed. Exit 0 once printed.
 */
export async function printClusterPlan(config: UpcertConfig): Promise<number> {
  if (config.target !== 'cluster') {
    throw new BadInputError('--plan: only the cluster target plans (use --target cluster --context <context>)', {
      field: '--plan',
    });
  }
  if (!config.context)
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  const from = loadRelease(config.from);
  const to = loadRelease(config.to);
  const target = clusterTargetFor({ ...config, context: config.context }, newRunId(config.from, config.to), to);
  process.stdout.write(planText(await target.plan(from)));
  return 0;
}
