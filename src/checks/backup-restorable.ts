import { defineCheck, fail, pass } from './check.ts';
import type { BackupEvidence, CheckRun } from './run.ts';

export const backupRestorable = defineCheck<CheckRun, BackupEvidence>({
  id: 'backup-restorable',
  description:
    'the pre-upgrade backup restores into a scratch PostgreSQL and its tenant fingerprint equals the live one',
  phases: ['upgrade'],
  gather: (run) => run.backup(),
  judge: (e) => {
    if (e.diffs.length > 0 || e.restoredFingerprint !== e.liveFingerprint) {
      const shown = e.diffs
        .slice(0, 5)
        .map((d) => `${d.kind} ${d.id} ${d.field}`)
        .join('; ');
      return fail(`restored data differs from the live data (${e.diffs.length} differences: ${shown})`, { ...e });
    }
    return pass(
      `${e.dumpBytes} bytes restored into ${e.scratch}; fingerprint ${e.restoredFingerprint.slice(0, 12)} matches`,
      {
        ...e,
      },
    );
  },
});
