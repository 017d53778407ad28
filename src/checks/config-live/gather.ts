import type { Phase } from '../../release/manifest.ts';
import { NotSupportedError } from '../check.ts';
import type { RunState } from '../run-state.ts';
import type { ConfigLiveEvidence } from './judge.ts';

/** config-live's evidence of a phase, as the phase's step recorded it (the changes are the journey's). */
export async function gatherConfigLive(run: RunState, phase: Phase): Promise<ConfigLiveEvidence> {
  const result = run.configLive.get(phase);
  if (!result) throw new Error(`config-live made no change in the ${phase} phase (the phase did not run to its end)`);
  if ('notSupported' in result) throw new NotSupportedError(result.notSupported);
  if ('error' in result) throw new Error(result.error);
  return result.evidence;
}
