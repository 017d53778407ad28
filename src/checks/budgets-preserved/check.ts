import { defineCheck } from '../check.ts';
import { gatherSpend } from './gather.ts';
import { judgeBudgetsPreserved } from './judge.ts';

export const budgetsPreserved = defineCheck({
  id: 'budgets-preserved',
  description:
    'every limit is identical and spend is exact: spend after = spend before + the cost of every request the ledger recorded as served',
  phases: ['upgrade'],
  needs: ['tenant-api', 'spend-records'],
  gather: gatherSpend,
  judge: judgeBudgetsPreserved,
});
