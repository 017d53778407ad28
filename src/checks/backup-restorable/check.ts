import { defineCheck } from '../check.ts';
import { gatherRestoredBackup } from './gather.ts';
import { judgeBackupRestorable } from './judge.ts';

export const backupRestorable = defineCheck({
  id: 'backup-restorable',
  description:
    'the pre-upgrade backup restores into a scratch PostgreSQL and its tenant fingerprint equals the live one',
  phases: ['upgrade'],
  needs: ['database-backup'],
  gather: gatherRestoredBackup,
  judge: judgeBackupRestorable,
});
