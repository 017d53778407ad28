import { setTimeout as sleep } from 'node:timers/promises';
import type { BudgetFigure } from '../checks/evidence/budget-figure.ts';
import { apiOf } from '../checks/evidence/tenant-data.ts';
import type { RunState, SpendReading } from '../checks/run-state.ts';
import { createConfigApi } from '../seed/index.ts';

/** Month-to-date spend of every seeded budget, through the configuration API. */
async function readBudgets(run: RunState): Promise<BudgetFigure[]> {
  const api = createConfigApi(apiOf(run));
  const seededIds = new Set(run.requireSeeded().records.budgets.map((b) => b.id));
  const rows = await api.call<BudgetFigure[]>('GET', '/api/v1/budgets');
  return rows
    .filter((b) => seededIds.has(b.id))
    .map((b) => ({
      id: b.id,
      level: b.level,
      scopeId: b.scopeId,
      limitMicroUsd: Number(b.limitMicroUsd),
      spentMicroUsd: Number(b.spentMicroUsd),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const same = (a: BudgetFigure[], b: BudgetFigure[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reads spend once it has settled: the gateways flush usage in batches, so the reading is taken when three
 * consecutive reads over at least a second agree (bounded by the run's settle deadline; the last reading is
 * taken then, and the check judges it).
 */
export async function settledSpend(run: RunState): Promise<SpendReading> {
  // a platform that records no spend: nothing to read (the checks that judge spend are not-supported)
  if (run.unsupported['spend-records']) return { t: run.clock(), budgets: [] };
  const deadline = Date.now() + run.config.timeouts.settleConditionSeconds * 1000;
  let last = await readBudgets(run);
  let stable = 0;
  while (stable < 3 && Date.now() < deadline) {
    await sleep(400);
    const next = await readBudgets(run);
    stable = same(next, last) ? stable + 1 : 0;
    last = next;
  }
  return { t: run.clock(), budgets: last };
}
