import { fail, pass, type Verdict } from '../check.ts';
import type { BudgetFigure } from '../evidence/budget-figure.ts';

export interface SpendEvidence {
  before: BudgetFigure[];
  after: BudgetFigure[];
  /** per budget: the cost of every request the ledger recorded as served since `before` was read. */
  ledgerCost: Record<string, number>;
  /** served requests per budget in the same window. */
  ledgerRequests: Record<string, number>;
}

/** budgetsPreserved's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeBudgetsPreserved(e: SpendEvidence): Verdict {
  const problems: string[] = [];
  const after = new Map(e.after.map((b) => [b.id, b]));
  for (const b of e.before) {
    const now = after.get(b.id);
    if (!now) {
      problems.push(`budget ${b.id} is gone`);
      continue;
    }
    if (now.limitMicroUsd !== b.limitMicroUsd)
      problems.push(`budget ${b.id}: limit ${b.limitMicroUsd} → ${now.limitMicroUsd}`);
    const cost = e.ledgerCost[b.id] ?? 0;
    const expected = b.spentMicroUsd + cost;
    if (now.spentMicroUsd !== expected) {
      problems.push(
        `budget ${b.id}: spend ${now.spentMicroUsd} µ$, expected ${expected} µ$ (${b.spentMicroUsd} before + ${cost} from ${e.ledgerRequests[b.id] ?? 0} served requests; off by ${now.spentMicroUsd - expected})`,
      );
    }
  }
  const evidence = { ...e, problems };
  if (problems.length > 0) return fail(problems.slice(0, 8).join('; '), evidence);
  const total = Object.values(e.ledgerCost).reduce((a, b) => a + b, 0);
  return pass(
    `${e.before.length} budgets: limits identical, spend exact to the micro-USD (${total} µ$ attributed)`,
    evidence,
  );
}
