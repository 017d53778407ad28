import { chmod, mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryable } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { fingerprintFromDatabase } from '../seed/index.ts';
import { safetyLimitsOf } from '../targets/safety.ts';

/**
 * Step 5: `pg_dump -Fc` of the platform database before the upgrade, with the fingerprint it should restore to.
 * On a shared cluster (the target declares `limits.backup`) only the platform's schemas are dumped, into a
 * private temp dir unless --keep-backup: the certificate carries the fingerprint, never the data.
 */
export async function backUpDatabase(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const scoped = safetyLimitsOf(platform)?.backup;
  const temporary = scoped !== undefined && !scoped.keep;
  const dir = temporary ? await mkdtemp(path.join(os.tmpdir(), 'upcert-backup-')) : run.reportDir;
  if (temporary) await chmod(dir, 0o700);
  const file = path.join(dir, 'backup.dump');
  const fingerprint = await fingerprintFromDatabase(queryable(platform), run.requireSeeded().version);
  const t = run.clock();
  await platform.database.dump(
    file,
    run.config.timeouts.backupSeconds * 1000,
    scoped ? { schemas: scoped.schemas } : {},
  );
  run.backup = { file, bytes: (await stat(file)).size, fingerprint, t, ...(temporary ? { temporary } : {}) };
  run.timeline.mark('backup', `${run.backup.bytes} bytes${scoped ? ` (schemas ${scoped.schemas.join(', ')})` : ''}`);
}
