import type { ComponentName } from '../release/manifest.ts';
import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, RunningReplica } from './run.ts';

export interface ReleasePinnedEvidence {
  release: string;
  expected: Record<ComponentName, { version: string; digest: string }>;
  running: RunningReplica[];
  /** how the target identifies what runs: artifact sha256 (local) or image digest (Kubernetes). */
  digestKind: 'artifact' | 'image';
}

export const releasePinned = defineCheck<CheckRun, ReleasePinnedEvidence>({
  id: 'release-pinned',
  description: "every running component's version and digest equal the release manifest's",
  phases: ['install', 'upgrade', 'rollback'],
  gather: async (run, phase) => {
    const release = run.expectedRelease(phase);
    const digestKind = run.digestKind;
    const expected = Object.fromEntries(
      Object.entries(release.components).map(([name, pin]) => [
        name,
        {
          version: pin.version,
          digest: digestKind === 'artifact' ? `sha256:${pin.artifact.sha256}` : (pin.image.digest ?? ''),
        },
      ]),
    ) as ReleasePinnedEvidence['expected'];
    return { release: release.version, expected, running: await run.runningReplicas(), digestKind };
  },
  judge: ({ release, expected, running, digestKind }) => {
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
  },
});
