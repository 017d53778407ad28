import type { Phase } from '../../release/manifest.ts';
import { expectedMigrationHead, migrationState } from '../evidence/migration-state.ts';
import type { RunState } from '../run-state.ts';
import type { MigrationsCompleteEvidence } from './judge.ts';

/** The head the phase must leave and the migration ledger as it is now. */
export async function gatherMigrationsComplete(run: RunState, phase: Phase): Promise<MigrationsCompleteEvidence> {
  return { expectedHead: expectedMigrationHead(run, phase), state: await migrationState(run) };
}
