import { defineCheck } from '../check.ts';
import { gatherOrdering } from './gather.ts';
import { judgeMigrationOrdering } from './judge.ts';

export const migrationOrdering = defineCheck({
  id: 'migration-ordering',
  description:
    'nothing of N+1 served traffic before the migrations completed; the control plane reported ready only after migrate + reconcile',
  phases: ['upgrade'],
  needs: ['migration-ledger', 'version-signal'],
  gather: gatherOrdering,
  judge: judgeMigrationOrdering,
});
