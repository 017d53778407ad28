import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, SpendEvidence } from './run.ts';

export const budgetsPreserved = defineCheck<CheckRun, SpendEvidence>({
  id: 'budgets-preserved',
  description:
    'every limit is identical and spend is exact: spend after = spend before + the cost of every request the ledger recorded as served',
  phases: ['upgrade'],
  gather: (run, phase) => run.spend(phase),
  judge: (e) => {
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
  },
});
