import { execaRunner, mustRun } from '../common/command.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { newRunId } from '../journey/run-id.ts';
import { loadRelease } from '../release/catalog.ts';
import { apiAccessReviewer } from '../targets/cluster/access-review.ts';
import {
  type DoctorFinding,
  digestFindings,
  doctorVerdict,
  helmMajor,
  kubectlSkew,
  permissionFindings,
} from '../targets/cluster/doctor.ts';
import { clusterTargetFor } from '../targets/cluster/from-config.ts';
import { requireTools } from '../targets/kube/tools.ts';

const log = createLogger('doctor');

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
  const from = loadRelease(config.from);
  const to = loadRelease(config.to);
  const findings: DoctorFinding[] = [];
  findings.push(
    helmMajor(await mustRun(execaRunner, 'helm version', 'helm', ['version', '--short'], { timeoutMs: 30_000 })),
  );
  const versions = JSON.parse(
    await mustRun(execaRunner, 'kubectl version', 'kubectl', ['--context', config.context, 'version', '-o', 'json'], {
      timeoutMs: 30_000,
    }),
  ) as { clientVersion: { gitVersion: string }; serverVersion?: { gitVersion: string } };
  findings.push(kubectlSkew(versions.clientVersion.gitVersion, versions.serverVersion?.gitVersion ?? '?'));
  findings.push(...digestFindings([from, to]));
  const target = clusterTargetFor({ ...config, context: config.context }, newRunId(config.from, config.to), to);
  const plan = await target.plan(from).catch((error: Error) => {
    findings.push({ ok: false, what: `installed release ${config.from} and the plan`, detail: error.message });
    return undefined;
  });
  const perms = plan?.permissions ?? [];
  if (plan) findings.push({ ok: true, what: `installed release is ${config.from} (revision read, chart rendered)` });
  const reviewed = await permissionFindings(perms, config.kube.namespace, apiAccessReviewer(config.context));
  findings.push(...reviewed);
  for (const f of findings) log.info(`${f.ok ? 'ok  ' : 'FAIL'} ${f.what}${f.detail ? `: ${f.detail}` : ''}`);
  doctorVerdict(
    findings,
    perms.filter((_, i) => !reviewed[i]!.ok),
    config.kube.namespace,
  );
  return 0;
}
