import { defineCheck } from '../check.ts';
import { gatherRollback } from './gather.ts';
import { judgeRollbackClean } from './judge.ts';

export const rollbackClean = defineCheck({
  id: 'rollback-clean',
  description:
    "after rollback (and restore when required): N's running set and migration head, tenant configuration as before the upgrade, spend exact, gateway and console working",
  phases: ['rollback'],
  needs: ['replica-identity', 'migration-ledger', 'tenant-api', 'spend-records', 'version-signal'],
  gather: gatherRollback,
  judge: judgeRollbackClean,
});
