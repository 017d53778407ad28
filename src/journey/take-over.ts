import { fingerprints } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { StepFailedError } from '../common/errors.ts';

/**
 * Step 2 of a later hop of a path: the platform the previous hop upgraded is this hop's N, with the tenants
 * seeded at the path's start; they are snapshotted anew (API and database) before this hop's upgrade.
 */
export async function takeOver(run: RunState): Promise<void> {
  const previous = run.hop?.previous;
  if (!previous) throw new StepFailedError('take over: no previous hop (the first hop installs)');
  if (previous.halted) {
    throw new StepFailedError(
      `take over: the previous hop ${previous.from.name} → ${previous.to.name} halted (${previous.halted})`,
    );
  }
  run.platform = previous.requirePlatform();
  run.seeded = previous.requireSeeded();
  // the tenants a tenant adapter created go with the path's last hop
  run.tenantAdapter = previous.tenantAdapter;
  previous.tenantAdapter = undefined;
  // fingerprints speak the reference API: a platform without it has none to take (its checks are not-supported)
  if (!run.unsupported['tenant-api']) run.before = await fingerprints(run);
  run.timeline.mark('taken-over', `${run.from.name} from the hop ${previous.from.name} → ${previous.to.name}`);
}
