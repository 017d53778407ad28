import type { CheckId } from '../release/manifest.ts';
import { type CheckDefinition, defineCheck, fail, pass } from './check.ts';
import type { CheckRun, RecordDiff } from './run.ts';

export interface PreservationEvidence {
  records: number;
  diffs: RecordDiff[];
  /** functional probes that failed (e.g. a consumer's key no longer authenticates). */
  probes: string[];
}

function preservationCheck(
  id: CheckId,
  kind: 'consumers' | 'providers' | 'guardrails',
  what: string,
): CheckDefinition<CheckRun, PreservationEvidence> {
  return defineCheck<CheckRun, PreservationEvidence>({
    id,
    description: `every seeded ${what} is there, identical by id and content, and still works`,
    phases: ['upgrade', 'rollback'],
    gather: (run, phase) => run.preservation(kind, phase),
    judge: (e) => {
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
    },
  });
}

export const consumersPreserved = preservationCheck('consumers-preserved', 'consumers', 'consumer');
export const providersPreserved = preservationCheck('providers-preserved', 'providers', 'provider');
export const guardrailsPreserved = preservationCheck('guardrails-preserved', 'guardrails', 'guardrail');
