import type { ProbeAnswer } from '../../load/probe.ts';
import type { Phase } from '../../release/manifest.ts';
import type { PhaseProbes, RunState } from '../run-state.ts';

/** The probes the journey sent after a phase; an error when the probe step did not run. */
export function phaseProbes(run: RunState, phase: Phase): PhaseProbes {
  const probes = run.probes.get(phase);
  if (!probes) throw new Error(`the gateway was not probed after the ${phase} phase`);
  return probes;
}

/** One probe's answer, or the error it met (thrown: the check could not gather its evidence). */
export function answerOf(answer: ProbeAnswer | { error: string } | undefined, what: string): ProbeAnswer {
  if (!answer) throw new Error(`no ${what} probe was sent`);
  if (!('status' in answer)) throw new Error(answer.error);
  return answer;
}
