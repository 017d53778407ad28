import type { MigrationState } from '../../db/migration-ledger.ts';
import { fail, pass, type Verdict } from '../check.ts';

export interface MigrationsCompleteEvidence {
  expectedHead: string;
  state: MigrationState;
}

/** migrationsComplete's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeMigrationsComplete({ expectedHead, state }: MigrationsCompleteEvidence): Verdict {
  const evidence = { expectedHead, head: state.head, problems: state.problems, applied: state.entries.length };
  if (state.problems.length > 0) return fail(`migration ledger has problems: ${state.problems.join('; ')}`, evidence);
  if (state.head !== expectedHead) {
    return fail(`migration head is ${state.head ?? '(none)'}, expected ${expectedHead}`, evidence);
  }
  return pass(`migration head ${state.head} (${state.kind}, ${state.entries.length} applied)`, evidence);
}
