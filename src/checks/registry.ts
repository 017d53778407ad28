import type { CheckId, Phase } from '../release/manifest.ts';
import { backupRestorable } from './backup-restorable/check.ts';
import { budgetsPreserved } from './budgets-preserved/check.ts';
import type { CheckDefinition } from './check.ts';
import { configLive } from './config-live/check.ts';
import { consoleSignIn } from './console-sign-in/check.ts';
import { gatewaySmoke } from './gateway-smoke/check.ts';
import { handEditsReconciled } from './hand-edits-reconciled/check.ts';
import { latencyHeld } from './latency-held/check.ts';
import { migrationOrdering } from './migration-ordering/check.ts';
import { migrationsComplete } from './migrations-complete/check.ts';
import { consumersPreserved, guardrailsPreserved, providersPreserved } from './preserved/check.ts';
import { releasePinned } from './release-pinned/check.ts';
import { rollbackClean } from './rollback-clean/check.ts';
import { zeroDroppedRequests } from './zero-dropped-requests/check.ts';

// biome-ignore lint/suspicious/noExplicitAny: each check has its own evidence type
type AnyCheck = CheckDefinition<any>;

/** Every check, in the order the report lists them (gathering only reads: the order decides nothing else). */
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
  latencyHeld,
  configLive,
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
