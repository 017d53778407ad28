/** The database access seeding and fingerprints need: one parameterised query (a `pg` Pool or Client fits). */
export interface Queryable {
  // biome-ignore lint/suspicious/noExplicitAny: rows are shaped by each query
  query<R = any>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The current UTC month as stored in `budget_spend.month` (a date, a timestamp, or text `YYYY-MM`): its value
 * and the SQL type to cast the parameter to.
 */
export async function currentSpendMonth(
  db: Queryable,
  now: Date = new Date(),
): Promise<{ value: string; type: string }> {
  const { rows } = await db.query<{ data_type: string }>(
    `SELECT data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'budget_spend' AND column_name = 'month'`,
  );
  const type = rows[0]?.data_type;
  if (!type) throw new Error('read spend month: budget_spend.month does not exist');
  const yyyyMm = now.toISOString().slice(0, 7);
  if (!/^[a-z ]+$/.test(type)) throw new Error(`read spend month: unexpected type ${type}`);
  if (type === 'text' || type.startsWith('character')) return { value: yyyyMm, type };
  return { value: `${yyyyMm}-01`, type };
}

/** True when the live schema keeps spend per month in `budget_spend` (v1.8.0 and later). */
export async function hasSpendTable(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    `SELECT to_regclass(current_schema() || '.budget_spend') IS NOT NULL AS present`,
  );
  return rows[0]?.present === true;
}
