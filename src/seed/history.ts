/**
 * Spend recorded before the run, written through the database as that release's gateways would have written
 * it: usage rows dated earlier this month, then the spend of the budgets holding the consumer raised in the
 * same statement (v1.7.0: `budgets.spent_micro_usd` of the user and project budgets; v1.8.0 and later:
 * `budget_spend` of the current UTC month for every budget whose scope holds the consumer).
 */
import { currentSpendMonth, type Queryable } from './database.ts';
import type { RecordedHistory } from './seeded.ts';
import type { BudgetRecord, TenantUser } from './select.ts';
import { knows } from './version.ts';

export interface HistoryInput {
  version: string;
  user: TenantUser;
  consumer: string;
  keyId: string;
  /** Every budget of the set whose scope holds the consumer. */
  budgets: BudgetRecord[];
}

const insertUsage = `
  INSERT INTO usage (consumer, user_id, key_id, model, prompt_tokens, completion_tokens, cost_micro_usd,
                     served_by, version, created_at)
  SELECT $1, $2, $3, t.model, t.prompt, t.completion, t.cost, 'upcert-history', $4, t.at
    FROM unnest($5::text[], $6::int[], $7::int[], $8::bigint[], $9::timestamptz[]) AS t(model, prompt, completion, cost, at)
  RETURNING cost_micro_usd`;

/** Dates earlier this month (UTC), one minute apart from the month's start, never in the future. */
function historyDates(count: number, now: Date): string[] {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const latest = Math.max(monthStart, now.getTime() - 1000);
  return Array.from({ length: count }, (_, i) =>
    new Date(Math.min(monthStart + (i + 1) * 60_000, latest)).toISOString(),
  );
}

export async function recordHistory(db: Queryable, input: HistoryInput, now = new Date()): Promise<RecordedHistory> {
  const { user, version } = input;
  const legacy = !knows(version, 'v1.8.0');
  const budgetIds = input.budgets
    .filter((b) => !legacy || b.level === 'user' || b.level === 'project')
    .map((b) => b.id);
  const h = user.history;
  const params: unknown[] = [
    input.consumer,
    user.id,
    input.keyId,
    version,
    h.map((e) => e.model),
    h.map((e) => e.promptTokens),
    h.map((e) => e.completionTokens),
    h.map((e) => e.costMicroUsd),
    historyDates(h.length, now),
    budgetIds,
  ];
  const spend = `(SELECT coalesce(sum(cost_micro_usd), 0) FROM inserted)`;
  if (legacy) {
    await db.query(
      `WITH inserted AS (${insertUsage})
       UPDATE budgets SET spent_micro_usd = spent_micro_usd + ${spend} WHERE id = ANY($10::text[])`,
      params,
    );
  } else {
    const month = await currentSpendMonth(db, now);
    params.push(month.value);
    await db.query(
      `WITH inserted AS (${insertUsage})
       INSERT INTO budget_spend (budget_id, month, spent_micro_usd)
       SELECT b, $11::${month.type}, ${spend} FROM unnest($10::text[]) AS b
       ON CONFLICT (budget_id, month) DO UPDATE SET spent_micro_usd = budget_spend.spent_micro_usd + EXCLUDED.spent_micro_usd`,
      params,
    );
  }
  return {
    consumer: input.consumer,
    requests: h.length,
    costMicroUsd: h.reduce((s, e) => s + e.costMicroUsd, 0),
    budgetIds,
  };
}
