import { measureClockOffset } from '../../db/clock-offset.ts';
import { type Query, readMigrationState } from '../../db/migration-ledger.ts';
import type { Phase } from '../../release/manifest.ts';
import { migrationsOf } from '../evidence/migration-state.ts';
import { phaseProbes } from '../evidence/phase-probes.ts';
import type { RunState } from '../run-state.ts';
import type { OrderingEvidence } from './judge.ts';
import { readinessFromLogs } from './readiness-log.ts';

/**
 * Evidence for migration-ordering: when the new release's migrations were recorded (the database's clock,
 * put on the run's clock by a measured offset), the first request its gateways answered, and when each of
 * its control-plane replicas reported ready.
 */
export async function gatherOrdering(run: RunState, phase: Phase): Promise<OrderingEvidence> {
  const platform = run.requirePlatform();
  const release = run.expectedRelease(phase);
  const query: Query = (sql, params) => platform.database.query(sql, params);
  const clock = await measureClockOffset(query, run.clock);
  const state = await readMigrationState(
    (sql, p) => platform.database.query(sql, p),
    migrationsOf(release).ledger,
    migrationsOf(release).table,
  );
  const before = migrationsOf(run.from).head;
  const index = state.entries.findIndex((e) => e.name === before);
  const newMigrations = state.entries
    .slice(index + 1)
    .filter((e) => e.state === 'applied' && e.appliedAt)
    .map((e) => ({ name: e.name, appliedAt: (e.appliedAt as Date).getTime() - clock.offsetMs }));
  const migrationsCompletedAt = newMigrations.length > 0 ? Math.max(...newMigrations.map((m) => m.appliedAt)) : null;

  // When the answer was in hand (`end`): the only moment the harness knows the new release had served. A
  // row's `start` is when the client queued the request, which can be long before a connection carried it.
  // The load's rows only: the probes sent after the phase are no evidence of the rollout's order.
  const ledger = run.ledger(phase);
  const loadRows = phaseProbes(run, phase).loadRows;
  let firstServedByNew: OrderingEvidence['firstServedByNew'] = null;
  for (let i = 0; i < loadRows; i++) {
    const row = ledger.row(i);
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
