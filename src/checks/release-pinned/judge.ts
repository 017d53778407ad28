import type { ComponentName } from '../../release/manifest.ts';
import { fail, pass, type Verdict } from '../check.ts';
import type { RunningReplica } from '../evidence/running-replicas.ts';

export interface ReleasePinnedEvidence {
  release: string;
  expected: Record<ComponentName, { version: string; digest: string }>;
  running: RunningReplica[];
  /** how the target identifies what runs: artifact sha256 (local) or image digest (Kubernetes). */
  digestKind: 'artifact' | 'image';
}

/** releasePinned's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeReleasePinned({ release, expected, running, digestKind }: ReleasePinnedEvidence): Verdict {
  const mismatches: string[] = [];
  for (const [component, want] of Object.entries(expected)) {
    const replicas = running.filter((r) => r.component === component);
    if (replicas.length === 0) mismatches.push(`${component}: no running replica`);
    for (const r of replicas) {
      if (r.version !== want.version) mismatches.push(`${r.replica}: version ${r.version}, expected ${want.version}`);
      if (r.digest !== want.digest)
        mismatches.push(`${r.replica}: ${digestKind} digest ${r.digest}, expected ${want.digest}`);
    }
  }
  const evidence = { release, expected, running, mismatches };
  if (mismatches.length > 0) return fail(`running set differs from ${release}: ${mismatches.join('; ')}`, evidence);
  return pass(
    `${running.length} replicas of ${Object.keys(expected).length} components run ${release} exactly`,
    evidence,
  );
}
