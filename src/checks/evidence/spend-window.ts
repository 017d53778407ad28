import { budgetHolds, type ConsumerScope, scopeOf } from '../../seed/index.ts';
import type { RunState } from '../run-state.ts';
import type { BudgetFigure } from './budget-figure.ts';

export interface BudgetMismatch {
  id: string;
  expected: number;
  actual: number;
  /** where the spend and the ledger part, stretch by stretch (`<stretch> (spend +S µ$ against the ledger's +L µ$)`). */
  stretches?: string[];
}

const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));

/** One stretch of the run between two spend readings, with the ledger's cost of what was served in it. */
export interface SpendStretch {
  label: string;
  before: BudgetFigure[];
  after: BudgetFigure[];
  /** per budget: the ledger's cost of the requests served in the stretch (`costInWindow(...).byBudget`). */
  ledgerCost: Record<string, number>;
}

/**
 * The stretches in which budget `id`'s spend moved by something other than the ledger's cost, so that a
 * red verdict over a long window (the rollback's "pre-upgrade spend + everything served since") says when
 * the spend went astray: during the upgrade, between the phases (the probes), or during the rollback.
 */
export function strayStretches(id: string, stretches: SpendStretch[]): string[] {
  const spent = (list: BudgetFigure[]) => list.find((b) => b.id === id)?.spentMicroUsd;
  const out: string[] = [];
  for (const s of stretches) {
    const [from, to] = [spent(s.before), spent(s.after)];
    if (from === undefined || to === undefined) continue;
    const ledger = s.ledgerCost[id] ?? 0;
    const moved = to - from;
    if (moved !== ledger) out.push(`${s.label} (spend ${signed(moved)} µ$ against the ledger's ${signed(ledger)} µ$)`);
  }
  return out;
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
