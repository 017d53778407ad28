import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryable } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { describeDifference, diffFingerprints, fingerprintFromDatabase } from '../seed/index.ts';
import { safetyLimitsOf } from '../targets/safety.ts';
import { settledSpend } from './spend.ts';

const log = createLogger('backup');
const maxTries = 3;

/**
 * Step 5: `pg_dump -Fc` of the platform database before the upgrade, with the fingerprint it should restore to:
 * taken once spend has settled, and again after the dump; a dump during which the data changed is taken again.
 * On a shared cluster (the target declares `limits.backup`) only the platform's schemas are dumped, into a
 * private temp dir unless --keep-backup: the certificate carries the fingerprint, never the data.
 */
export async function backUpDatabase(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const noBackup = run.unsupported['database-backup'];
  if (noBackup) {
    run.timeline.mark('backup-skipped', noBackup);
    return;
  }
  const scoped = safetyLimitsOf(platform)?.backup;
  const temporary = scoped !== undefined && !scoped.keep;
  const dir = temporary ? await mkdtemp(path.join(os.tmpdir(), 'upcert-backup-')) : run.reportDir;
  if (temporary) await chmod(dir, 0o700);
  const file = path.join(dir, 'backup.dump');
  try {
    run.backup = await consistentDump(run, file, scoped?.schemas);
    if (temporary) run.backup.temporary = true;
  } catch (error) {
    // a backup that is not recorded is removed by no one else: the dump may hold a shared cluster's data
    if (temporary) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  run.timeline.mark('backup', `${run.backup.bytes} bytes${scoped ? ` (schemas ${scoped.schemas.join(', ')})` : ''}`);
}

/**
 * The dump and the fingerprint it restores to, taken once spend has settled (the gateways write it a moment after
 * they answer: the install checks' probes) and checked again after the dump: a dump during which the tenant data
 * changed is taken again, at most three times.
 */
async function consistentDump(run: RunState, file: string, schemas: readonly string[] | undefined) {
  const platform = run.requirePlatform();
  const fingerprintNow = () => fingerprintFromDatabase(queryable(platform), run.requireSeeded().version);
  await settledSpend(run);
  for (let attempt = 1; ; attempt++) {
    const fingerprint = await fingerprintNow();
    const t = run.clock();
    await platform.database.dump(file, run.config.timeouts.backupSeconds * 1000, schemas ? { schemas } : {});
    const after = await fingerprintNow();
    if (after.sha256 === fingerprint.sha256) return { file, bytes: (await stat(file)).size, fingerprint, t };
    const changed = diffFingerprints(fingerprint, after, { spend: true }).slice(0, 3).map(describeDifference);
    if (attempt >= maxTries) {
      throw new StepFailedError(
        `back up: the tenant data kept changing while it was dumped (${maxTries} tries; last: ${changed.join('; ')})`,
      );
    }
    log.warn(`back up: the tenant data changed during the dump (${changed.join('; ')}); dumping again`);
  }
}
