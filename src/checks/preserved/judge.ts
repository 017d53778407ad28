import { fail, pass, type Verdict } from '../check.ts';
import type { RecordDiff } from '../evidence/tenant-diffs.ts';

export type PreservedKind = 'consumers' | 'providers' | 'guardrails';

export interface PreservationEvidence {
  records: number;
  diffs: RecordDiff[];
  /** functional probes that failed (e.g. a consumer's key no longer authenticates). */
  probes: string[];
}

/** The judge of one kind of preserved records (`what`: consumer, provider, guardrail): pure over its evidence. */
export function judgePreservation(what: string): (e: PreservationEvidence) => Verdict {
  return (e) => {
    const problems = [
      ...e.diffs
        .slice(0, 10)
        .map((d) => `${d.kind} ${d.id}: ${d.field} ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`),
      ...e.probes,
    ];
    if (e.diffs.length > 0 || e.probes.length > 0) {
      const more = e.diffs.length > 10 ? ` (and ${e.diffs.length - 10} more differences)` : '';
      return fail(`${problems.join('; ')}${more}`, { ...e });
    }
    return pass(`${e.records} ${what} records identical and working`, { ...e });
  };
}
