import { type MigrationState, readMigrationState } from '../../db/migration-ledger.ts';
import type { AnyRelease } from '../../release/catalog.ts';
import type { Phase } from '../../release/manifest.ts';
import { NotSupportedError } from '../check.ts';
import type { RunState } from '../run-state.ts';

/**
 * The release's migration ledger. A platform without one declares `migration-ledger` unsupported, so the checks
 * that read it are not-supported before the run; this only guards a manifest that contradicts its platform.
 */
export function migrationsOf(release: AnyRelease): NonNullable<AnyRelease['migrations']> {
  if (!release.migrations) throw new NotSupportedError(`release ${release.name} declares no migration ledger`);
  return release.migrations;
}

/** The migration ledger as N+1 declares it (its ledger kind and table), read from the live database. */
export function migrationState(run: RunState): Promise<MigrationState> {
  const platform = run.requirePlatform();
  const { ledger, table } = migrationsOf(run.to);
  return readMigrationState((sql, p) => platform.database.query(sql, p), ledger, table);
}

/** The head the migration ledger must be at after a phase. */
export function expectedMigrationHead(run: RunState, phase: Phase): string {
  // After a schema-compatible rollback the schema stays at N+1's head: N runs on it, by the release's word.
  if (phase === 'rollback' && run.to.rollback === 'schema-compatible') return migrationsOf(run.to).head;
  return migrationsOf(run.expectedRelease(phase)).head;
}
