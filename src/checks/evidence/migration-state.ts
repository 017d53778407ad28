import { type MigrationState, readMigrationState } from '../../db/migration-ledger.ts';
import type { Phase } from '../../release/manifest.ts';
import type { RunState } from '../run-state.ts';

/** The migration ledger as N+1 declares it (its ledger kind and table), read from the live database. */
export function migrationState(run: RunState): Promise<MigrationState> {
  const platform = run.requirePlatform();
  const { ledger, table } = run.to.migrations;
  return readMigrationState((sql, p) => platform.database.query(sql, p), ledger, table);
}

/** The head the migration ledger must be at after a phase. */
export function expectedMigrationHead(run: RunState, phase: Phase): string {
  // After a schema-compatible rollback the schema stays at N+1's head: N runs on it, by the release's word.
  if (phase === 'rollback' && run.to.rollback === 'schema-compatible') return run.to.migrations.head;
  return run.expectedRelease(phase).migrations.head;
}
