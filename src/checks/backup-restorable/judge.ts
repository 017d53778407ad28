import { fail, pass, type Verdict } from '../check.ts';
import type { RecordDiff } from '../evidence/tenant-diffs.ts';

export interface BackupEvidence {
  dumpFile: string;
  dumpBytes: number;
  scratch: string;
  liveFingerprint: string;
  restoredFingerprint: string;
  diffs: RecordDiff[];
}

/** backupRestorable's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeBackupRestorable(e: BackupEvidence): Verdict {
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
}
