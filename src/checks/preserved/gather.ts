import type { Phase } from '../../release/manifest.ts';
import { describeDifference } from '../../seed/index.ts';
import { phaseProbes } from '../evidence/phase-probes.ts';
import { currentDiffs } from '../evidence/tenant-diffs.ts';
import type { RunState } from '../run-state.ts';
import type { PreservationEvidence, PreservedKind } from './judge.ts';

const recordKinds: Record<PreservedKind, readonly string[]> = {
  consumers: ['organization', 'project', 'group', 'user', 'key'],
  providers: ['provider', 'route'],
  guardrails: ['guardrail'],
};

/**
 * Evidence for consumers-, providers- and guardrails-preserved: every difference in the records of that kind,
 * and the functional probes the journey sent after the phase (every key still authenticates; every route
 * still answers; the guardrail still blocks).
 */
export function gatherPreservation(kind: PreservedKind) {
  return async (run: RunState, phase: Phase): Promise<PreservationEvidence> => {
    const { diffs, counts } = await currentDiffs(run, phase);
    const kinds = recordKinds[kind];
    const mine = diffs.filter((d) => kinds.includes(d.kind));
    const records = kinds.reduce((n, k) => n + (counts.get(k) ?? 0), 0);
    const probes = phaseProbes(run, phase).functional[kind];
    if (!probes) throw new Error(`no ${kind} probe was sent after the ${phase} phase`);
    if (!Array.isArray(probes)) throw new Error(probes.error);
    return {
      diffs: mine.map((d) => ({ ...d, field: d.field === '(record)' ? describeDifference(d) : d.field })),
      probes,
      records,
    };
  };
}
