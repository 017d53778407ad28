import { stat } from 'node:fs/promises';
import path from 'node:path';
import { queryable } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { fingerprintFromDatabase } from '../seed/index.ts';

/** Step 5: `pg_dump -Fc` of the platform database before the upgrade, with the fingerprint it should restore to. */
export async function backUpDatabase(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const file = path.join(run.reportDir, 'backup.dump');
  const fingerprint = await fingerprintFromDatabase(queryable(platform), run.requireSeeded().version);
  const t = run.clock();
  await platform.database.dump(file, run.config.timeouts.backupSeconds * 1000);
  run.backup = { file, bytes: (await stat(file)).size, fingerprint, t };
  run.timeline.mark('backup', `${run.backup.bytes} bytes`);
}
