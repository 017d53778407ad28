import { defineCheck } from '../check.ts';
import { gatherLoad } from './gather.ts';
import { judgeZeroDropped } from './judge.ts';

export const zeroDroppedRequests = defineCheck({
  id: 'zero-dropped-requests',
  description:
    'the phase ledger has at least the configured minimum of requests and none failed (connection error, reset, close, timeout, 5xx, truncated stream); expected refusals count only when meant',
  phases: ['upgrade', 'rollback'],
  needs: [],
  gather: gatherLoad,
  judge: judgeZeroDropped,
});
