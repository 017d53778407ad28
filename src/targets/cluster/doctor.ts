import { EnvironmentError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import type { AccessReviewer } from './access-review.ts';
import { pullableDigestsMustBeRecorded } from './image-refs.ts';
import { type Permission, resourceName } from './permissions.ts';
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
