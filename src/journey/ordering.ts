import type { OrderingEvidence } from '../checks/run.ts';
import { measureClockOffset } from '../db/clock-offset.ts';
import { type Query, readMigrationState } from '../db/migration-ledger.ts';
import type { Phase } from '../release/manifest.ts';
import { readinessFromLogs } from './readiness-log.ts';
import type { RunState } from './run-state.ts';

/**
 * Evidence for migration-ordering: when the new release's migrations were recorded (the database's clock,
 * put on the run's clock by a measured offset), the first request its gateways answered, and when each of
 * its control-plane replicas reported ready.
 */
export async function ordering(run: RunState, phase: Phase): Promise<OrderingEvidence> {
  const platform = run.requirePlatform();
  const release = run.expectedRelease(phase);
  const query: Query = (sql, params) => platform.database.query(sql, params);
  const clock = await measureClockOffset(query, run.clock);
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
    .map((e) => ({ name: e.name, appliedAt: (e.appliedAt as Date).getTime() - clock.offsetMs }));
  const migrationsCompletedAt = newMigrations.length > 0 ? Math.max(...newMigrations.map((m) => m.appliedAt)) : null;

  // When the answer was in hand (`end`): the only moment the harness knows the new release had served. A
  // row's `start` is when the client queued the request, which can be long before a connection carried it.
  const ledger = run.ledger(phase);
  let firstServedByNew: OrderingEvidence['firstServedByNew'] = null;
  for (const row of ledger) {
    if (row.version === release.version && row.status > 0 && (!firstServedByNew || row.end < firstServedByNew.t)) {
      firstServedByNew = { t: row.end, replica: row.replica };
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
  const readinessLog = await readinessFromLogs(platform, release.version);
  return {
    newVersion: release.version,
    migrationsCompletedAt,
    newMigrations,
    firstServedByNew,
    controlPlaneReady,
    readinessLog,
  };
}
