import { restoreIntoScratch } from '../../db/scratch-postgres.ts';
import { diffFingerprints, fingerprintFromDatabase } from '../../seed/index.ts';
import type { RunState } from '../run-state.ts';
import type { BackupEvidence } from './judge.ts';

/** backup-restorable: restore the pre-upgrade dump into a scratch PostgreSQL and fingerprint it. */
export async function gatherRestoredBackup(run: RunState): Promise<BackupEvidence> {
  const backup = run.backup;
  if (!backup) throw new Error('no backup was taken');
  const { scratchPostgres, timeouts } = run.config;
  await using scratch = await restoreIntoScratch(backup.file, {
    ...scratchPostgres,
    timeoutMs: timeouts.backupSeconds * 1000,
  });
  const restored = await fingerprintFromDatabase(scratch, backup.fingerprint.version);
  const diffs = diffFingerprints(backup.fingerprint, restored, { spend: true });
  return {
    dumpFile: backup.file,
    dumpBytes: backup.bytes,
    scratch: scratch.description,
    liveFingerprint: backup.fingerprint.sha256,
    restoredFingerprint: restored.sha256,
    diffs,
  };
}
