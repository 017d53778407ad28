import { budgetHolds, type ConsumerScope, scopeOf } from '../../seed/index.ts';
import type { RunState } from '../run-state.ts';
import type { BudgetFigure } from './budget-figure.ts';

export interface BudgetMismatch {
  id: string;
  expected: number;
  actual: number;
}

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
