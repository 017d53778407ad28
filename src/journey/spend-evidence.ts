import type { SpendEvidence } from '../checks/run.ts';
import type { Phase } from '../release/manifest.ts';
import { budgetHolds, scopeOf } from '../seed/index.ts';
import type { RunState } from './run-state.ts';

/**
 * Evidence for budgets-preserved: the spend read before and after the phase's load, and per budget the cost
 * of every request the ledgers recorded as served in between (each request's cost goes to every budget whose
 * scope holds its consumer).
 */
export function spendEvidence(run: RunState, phase: Phase): SpendEvidence {
  const reading = run.spend.get(phase);
  if (!reading?.after) throw new Error(`no spend reading around the ${phase} phase`);
  const { before, after } = reading;
  const records = run.requireSeeded().records;
  const scopes = new Map<string, ReturnType<typeof scopeOf>>();
  const ledgerCost: Record<string, number> = {};
  const ledgerRequests: Record<string, number> = {};
  for (const ledger of run.ledgers.values()) {
    for (const row of ledger) {
      if (row.outcome !== 'served' || row.start < before.t || row.start > after.t) continue;
      if (!scopes.has(row.consumer)) scopes.set(row.consumer, scopeOf(records, row.consumer.split('.').at(-1) ?? ''));
      const scope = scopes.get(row.consumer);
      if (!scope) continue;
      for (const budget of before.budgets) {
        if (!budgetHolds(budget, scope)) continue;
        ledgerCost[budget.id] = (ledgerCost[budget.id] ?? 0) + row.costMicroUsd;
        ledgerRequests[budget.id] = (ledgerRequests[budget.id] ?? 0) + 1;
      }
    }
  }
  return { before: before.budgets, after: after.budgets, ledgerCost, ledgerRequests };
}
