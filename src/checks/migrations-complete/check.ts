import { defineCheck } from '../check.ts';
import { gatherMigrationsComplete } from './gather.ts';
import { judgeMigrationsComplete } from './judge.ts';

export const migrationsComplete = defineCheck({
  id: 'migrations-complete',
  description: "the migration ledger's head equals the release's expected head; nothing failed, dirty or pending",
  phases: ['install', 'upgrade', 'rollback'],
  needs: ['migration-ledger'],
  gather: gatherMigrationsComplete,
  judge: judgeMigrationsComplete,
});
