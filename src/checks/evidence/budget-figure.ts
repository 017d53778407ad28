/** One seeded budget as the configuration API reports it: its scope, limit and month-to-date spend. */
export interface BudgetFigure {
  id: string;
  level: string;
  scopeId: string;
  limitMicroUsd: number;
  spentMicroUsd: number;
}
