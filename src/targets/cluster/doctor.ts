import { type CommandRunner, mustRun } from '../../common/command.ts';
import { EnvironmentError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import type { AccessReviewer } from './access-review.ts';
import { pullableDigestsMustBeRecorded } from './image-refs.ts';
import { type Permission, resourceName } from './permissions.ts';
import type { ClusterPlan } from './plan.ts';
import { roleYaml } from './rbac-role.ts';

/** One line of `upcert doctor --target cluster`. */
export interface DoctorFinding {
  ok: boolean;
  what: string;
  detail?: string;
}

/**
 * Minor-version skew kubectl supports: "within one minor version (older or newer) of kube-apiserver"
 * (kubernetes/website content/en/releases/version-skew-policy.md, "kubectl").
 */
export function kubectlSkew(client: string, server: string): DoctorFinding {
  const minor = (v: string) => Number(/^v?\d+\.(\d+)/.exec(v)?.[1]);
  const skew = Math.abs(minor(client) - minor(server));
  return Number.isNaN(skew)
    ? { ok: false, what: 'kubectl skew', detail: `cannot read versions (client ${client}, server ${server})` }
    : {
        ok: skew <= 1,
        what: 'kubectl skew',
        detail: `client ${client}, server ${server} (${skew} minor apart; at most 1)`,
      };
}

/** Helm 4 (server-side apply by default) is what the cluster target drives. */
export function helmMajor(version: string): DoctorFinding {
  const major = Number(/^v?(\d+)\./.exec(version.trim())?.[1]);
  return { ok: major === 4, what: 'helm version', detail: `${version.trim()} (needs v4: server-side apply)` };
}

/** Every permission, asked one by one. */
export async function permissionFindings(
  perms: readonly Permission[],
  namespace: string,
  review: AccessReviewer,
): Promise<DoctorFinding[]> {
  const out: DoctorFinding[] = [];
  for (const p of perms) {
    const answer = await review(p, namespace);
    out.push({
      ok: answer.allowed,
      what: `can ${p.verb} ${p.group ? `${p.group}/` : ''}${resourceName(p)} in ${namespace}`,
      detail: answer.allowed ? undefined : `${p.why}${answer.reason ? ` (${answer.reason})` : ''}`,
    });
  }
  return out;
}

export function digestFindings(releases: readonly LoadedRelease[]): DoctorFinding[] {
  return releases.map((r) => {
    try {
      pullableDigestsMustBeRecorded(r);
      return { ok: true, what: `${r.name}: images pinned by registry digest` };
    } catch (error) {
      return { ok: false, what: `${r.name}: images pinned by registry digest`, detail: (error as Error).message };
    }
  });
}

/** Exit 3 naming what is missing, with the fix (the Role that grants the missing verbs). */
export function doctorVerdict(
  findings: readonly DoctorFinding[],
  missing: readonly Permission[],
  namespace: string,
): void {
  const bad = findings.filter((f) => !f.ok);
  if (bad.length === 0) return;
  const fix =
    missing.length > 0 ? `\nkubectl apply -f - <<'EOF'\n${roleYaml(missing, namespace)}EOF` : 'see the lines above';
  throw new EnvironmentError(`doctor: ${bad.length} problem(s): ${bad.map((f) => f.what).join('; ')}`, { fix });
}

/** What the doctor reads the cluster through: helm and kubectl, SelfSubjectAccessReview, the run's plan. */
export interface DoctorDeps {
  run: CommandRunner;
  review: AccessReviewer;
  /** The plan of the run (`upcert certify --plan`): reads the installed release and renders both charts. */
  plan: () => Promise<ClusterPlan>;
  log: Logger;
}

/**
 * `upcert doctor --target cluster`, and the preflight of every cluster run: helm 4, kubectl within one minor of
 * the API server, both releases pinned by registry digest, the installed release and the plan (reads only), then
 * every permission of the plan by SelfSubjectAccessReview. Each finding is logged; exit 3 (EnvironmentError)
 * naming what is missing, with the Role that grants the missing permissions.
 */
export async function runDoctor(
  where: { context: string; namespace: string; commandTimeoutMs: number },
  releases: { from: LoadedRelease; to: LoadedRelease },
  deps: DoctorDeps,
): Promise<void> {
  const findings: DoctorFinding[] = [];
  const timeoutMs = where.commandTimeoutMs;
  findings.push(helmMajor(await mustRun(deps.run, 'helm version', 'helm', ['version', '--short'], { timeoutMs })));
  const versions = JSON.parse(
    await mustRun(deps.run, 'kubectl version', 'kubectl', ['--context', where.context, 'version', '-o', 'json'], {
      timeoutMs,
    }),
  ) as { clientVersion: { gitVersion: string }; serverVersion?: { gitVersion: string } };
  findings.push(kubectlSkew(versions.clientVersion.gitVersion, versions.serverVersion?.gitVersion ?? '?'));
  findings.push(...digestFindings([releases.from, releases.to]));
  const plan = await deps.plan().catch((error: Error) => {
    findings.push({ ok: false, what: `installed release ${releases.from.name} and the plan`, detail: error.message });
    return undefined;
  });
  if (plan)
    findings.push({ ok: true, what: `installed release is ${releases.from.name} (revision read, chart rendered)` });
  const perms = plan?.permissions ?? [];
  const reviewed = await permissionFindings(perms, where.namespace, deps.review);
  findings.push(...reviewed);
  for (const f of findings) deps.log.info(`${f.ok ? 'ok  ' : 'FAIL'} ${f.what}${f.detail ? `: ${f.detail}` : ''}`);
  doctorVerdict(
    findings,
    perms.filter((_, i) => !reviewed[i]!.ok),
    where.namespace,
  );
}
