import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { RunState } from '../checks/run-state.ts';
import { revertHandEdit } from './hand-edit.ts';
import { removeRunTenants } from './seed-step.ts';

/**
 * What a run leaves on the target when it ends, fails or is interrupted: nothing of its own. The seeded
 * tenants (a run prefix: shared cluster) are deleted through the API while the tunnels are still open, the
 * hand edit is put back unless an upgrade already rendered it away, then the platform handle is disposed
 * (port-forwards, temp secrets files, informers) unless --keep. Each part logs its own failure and the next
 * still runs.
 */
export async function leaveNothingBehind(run: RunState): Promise<void> {
  await removeRunTenants(run);
  await revertHandEdit(run);
  // a backup outside the report (shared cluster, no --keep-backup) goes with the run
  if (run.backup?.temporary) await rm(path.dirname(run.backup.file), { recursive: true, force: true });
  if (run.platform && !run.config.keep) await run.platform[Symbol.asyncDispose]();
}
