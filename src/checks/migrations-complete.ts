import type { MigrationState } from '../db/migration-ledger.ts';
import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun } from './run.ts';

export interface MigrationsCompleteEvidence {
  expectedHead: string;
  state: MigrationState;
}

export const migrationsComplete = defineCheck<CheckRun, MigrationsCompleteEvidence>({
  id: 'migrations-complete',
  description: "the migration ledger's head equals the release's expected head; nothing failed, dirty or pending",
  phases: ['install', 'upgrade', 'rollback'],
  gather: async (run, phase) => ({
    expectedHead: run.expectedMigrationHead(phase),
    state: await run.migrationState(),
  }),
  judge: ({ expectedHead, state }) => {
    const evidence = { expectedHead, head: state.head, problems: state.problems, applied: state.entries.length };
    if (state.problems.length > 0) return fail(`migration ledger has problems: ${state.problems.join('; ')}`, evidence);
    if (state.head !== expectedHead) {
      return fail(`migration head is ${state.head ?? '(none)'}, expected ${expectedHead}`, evidence);
    }
    return pass(`migration head ${state.head} (${state.kind}, ${state.entries.length} applied)`, evidence);
  },
});
