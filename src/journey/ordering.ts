import type { OrderingEvidence } from '../checks/run.ts';
import { readMigrationState } from '../db/migration-ledger.ts';
import type { Phase } from '../release/manifest.ts';
import type { RunState } from './run-state.ts';

/**
 * Evidence for migration-ordering: when the new release's migrations were recorded (the database's clock,
 * the same machine's as the ledger's locally), the first request its gateways answered, and when each of its
 * control-plane replicas reported ready.
 */
export async function ordering(run: RunState, phase: Phase): Promise<OrderingEvidence> {
  const platform = run.requirePlatform();
  const release = run.expectedRelease(phase);
  const state = await readMigrationState(
    (sql, p) => platform.database.query(sql, p),
    release.migrations.ledger,
    release.migrations.table,
  );
  const before = run.from.migrations.head;
  const index = state.entries.findIndex((e) => e.name === before);
  const newMigrations = state.entries
    .slice(index + 1)
    .filter((e) => e.state === 'applied' && e.appliedAt)
    .map((e) => ({ name: e.name, appliedAt: (e.appliedAt as Date).getTime() }));
  const migrationsCompletedAt = newMigrations.length > 0 ? Math.max(...newMigrations.map((m) => m.appliedAt)) : null;

  const ledger = run.ledger(phase);
  let firstServedByNew: OrderingEvidence['firstServedByNew'] = null;
  for (const row of ledger) {
    if (row.version === release.version && row.status > 0 && (!firstServedByNew || row.start < firstServedByNew.t)) {
      firstServedByNew = { t: row.start, replica: row.replica };
    }
  }
  const rollout = run.rollouts.get(phase);
  const controlPlaneReady = run.timeline.events
    .filter(
      (e) =>
        e.kind === 'replica-ready' &&
        e.component === 'control-plane' &&
        e.version === release.version &&
        (!rollout || e.t >= rollout.start),
    )
    .map((e) => ({ replica: e.replica ?? '', t: e.t }));
  return { newVersion: release.version, migrationsCompletedAt, newMigrations, firstServedByNew, controlPlaneReady };
}
