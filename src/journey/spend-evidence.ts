import type { BudgetFigure, SpendEvidence } from '../checks/run.ts';
import type { Phase } from '../release/manifest.ts';
import { budgetHolds, type ConsumerScope, scopeOf } from '../seed/index.ts';
import type { RunState } from './run-state.ts';

export interface WindowCost {
  /** per budget: the cost of the served requests whose consumer it holds. */
  byBudget: Record<string, number>;
  requestsByBudget: Record<string, number>;
  /** distinct served requests in the window, and their cost. */
  requests: number;
  costMicroUsd: number;
}

/**
 * The cost of every request the ledgers recorded as served that started in [from, to] (ledger clock), per
 * budget: a request's cost goes to every budget whose scope holds its consumer.
 */
export function costInWindow(run: RunState, budgets: BudgetFigure[], from: number, to: number): WindowCost {
  const records = run.requireSeeded().records;
  const scopes = new Map<string, ConsumerScope | undefined>();
  const out: WindowCost = { byBudget: {}, requestsByBudget: {}, requests: 0, costMicroUsd: 0 };
  for (const ledger of run.ledgers.values()) {
    for (const row of ledger) {
      if (row.outcome !== 'served' || row.start < from || row.start > to) continue;
      out.requests++;
      out.costMicroUsd += row.costMicroUsd;
      if (!scopes.has(row.consumer)) scopes.set(row.consumer, scopeOf(records, row.consumer.split('.').at(-1) ?? ''));
      const scope = scopes.get(row.consumer);
      if (!scope) continue;
      for (const budget of budgets) {
        if (!budgetHolds(budget, scope)) continue;
        out.byBudget[budget.id] = (out.byBudget[budget.id] ?? 0) + row.costMicroUsd;
        out.requestsByBudget[budget.id] = (out.requestsByBudget[budget.id] ?? 0) + 1;
      }
    }
  }
  return out;
}

/** Evidence for budgets-preserved: spend read before and after the phase's load, and the ledger's cost in between. */
export function spendEvidence(run: RunState, phase: Phase): SpendEvidence {
  const reading = run.spend.get(phase);
  if (!reading?.after) throw new Error(`no spend reading around the ${phase} phase`);
  const { before, after } = reading;
  const cost = costInWindow(run, before.budgets, before.t, after.t);
  return {
    before: before.budgets,
    after: after.budgets,
    ledgerCost: cost.byBudget,
    ledgerRequests: cost.requestsByBudget,
  };
}
