import type { CheckId, Phase } from '../release/manifest.ts';
import { backupRestorable } from './backup-restorable.ts';
import { budgetsPreserved } from './budgets-preserved.ts';
import type { CheckDefinition } from './check.ts';
import { consoleSignIn } from './console-sign-in.ts';
import { gatewaySmoke } from './gateway-smoke.ts';
import { handEditsReconciled } from './hand-edits-reconciled.ts';
import { migrationOrdering } from './migration-ordering.ts';
import { migrationsComplete } from './migrations-complete.ts';
import { consumersPreserved, guardrailsPreserved, providersPreserved } from './preserved.ts';
import { releasePinned } from './release-pinned.ts';
import { rollbackClean } from './rollback-clean.ts';
import type { CheckRun } from './run.ts';
import { zeroDroppedRequests } from './zero-dropped-requests.ts';

// biome-ignore lint/suspicious/noExplicitAny: each check has its own evidence type
type AnyCheck = CheckDefinition<CheckRun, any>;

/** Every check, in the order a run evaluates them within a phase. */
export const checks: readonly AnyCheck[] = [
  releasePinned,
  migrationsComplete,
  migrationOrdering,
  backupRestorable,
  zeroDroppedRequests,
  consumersPreserved,
  providersPreserved,
  guardrailsPreserved,
  budgetsPreserved,
  handEditsReconciled,
  gatewaySmoke,
  consoleSignIn,
  rollbackClean,
];

export function checksFor(phase: Phase): AnyCheck[] {
  return checks.filter((c) => c.phases.includes(phase));
}

export function checkById(id: CheckId): AnyCheck | undefined {
  return checks.find((c) => c.id === id);
}

/** Whether `--only` / `--skip` leave a check to run; the reason when they do not. */
export function selection(id: CheckId, only: readonly CheckId[] | undefined, skip: readonly CheckId[]): string | null {
  if (only && !only.includes(id)) return `not in --only ${only.join(',')}`;
  if (skip.includes(id)) return 'asked to skip (--skip)';
  return null;
}
