import type { ComponentName, Phase } from '../../release/manifest.ts';
import { expectedDigest, runningReplicas } from '../evidence/running-replicas.ts';
import type { RunState } from '../run-state.ts';
import type { ReleasePinnedEvidence } from './judge.ts';

/** The release's pins (in the target's digest kind) and every replica the target runs now. */
export async function gatherReleasePinned(run: RunState, phase: Phase): Promise<ReleasePinnedEvidence> {
  const release = run.expectedRelease(phase);
  const digestKind = run.digestKind;
  const expected = Object.fromEntries(
    Object.entries(release.components).map(([name, pin]) => [
      name,
      { version: pin.version, digest: expectedDigest(pin, digestKind) },
    ]),
  ) as Record<ComponentName, { version: string; digest: string }>;
  return { release: release.version, expected, running: await runningReplicas(run), digestKind };
}
