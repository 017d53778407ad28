import type { CheckId } from '../../release/manifest.ts';
import { type CheckDefinition, defineCheck } from '../check.ts';
import { gatherPreservation } from './gather.ts';
import { judgePreservation, type PreservationEvidence, type PreservedKind } from './judge.ts';

function preservationCheck(id: CheckId, kind: PreservedKind, what: string): CheckDefinition<PreservationEvidence> {
  return defineCheck({
    id,
    description: `every seeded ${what} is there, identical by id and content, and still works`,
    phases: ['upgrade', 'rollback'],
    needs: ['tenant-api'],
    gather: gatherPreservation(kind),
    judge: judgePreservation(what),
  });
}

export const consumersPreserved = preservationCheck('consumers-preserved', 'consumers', 'consumer');
export const providersPreserved = preservationCheck('providers-preserved', 'providers', 'provider');
export const guardrailsPreserved = preservationCheck('guardrails-preserved', 'guardrails', 'guardrail');
