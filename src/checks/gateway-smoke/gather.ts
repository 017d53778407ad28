import type { Phase } from '../../release/manifest.ts';
import { answerOf, phaseProbes } from '../evidence/phase-probes.ts';
import type { RunState } from '../run-state.ts';
import type { SmokeEvidence } from './judge.ts';

/** The chat completion the journey sent through the gateway after the phase, and the release that must answer. */
export async function gatherSmoke(run: RunState, phase: Phase): Promise<SmokeEvidence> {
  const answer = answerOf(phaseProbes(run, phase).smoke, 'smoke');
  return {
    status: answer.status,
    version: answer.version,
    replica: answer.replica,
    expectedVersion: run.expectedRelease(phase).version,
    ...(answer.error ? { error: answer.error } : {}),
    ...(answer.versionFrom ? { versionFrom: answer.versionFrom } : {}),
  };
}
