/**
 * The tenant fingerprint as PostgreSQL holds it (the platform's tables, CONTRACT.md), mapped into the API's
 * shapes. Spend is read wherever the live schema keeps it: `budget_spend` of the current UTC month when that
 * table exists (v1.8.0 and later), else `budgets.spent_micro_usd`.
 */
import { currentSpendMonth, hasSpendTable, type Queryable } from './database.ts';
import {
  type Fingerprint,
  type FingerprintRecord,
  fingerprintRecord,
  inRun,
  makeFingerprint,
} from './fingerprint-record.ts';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function budgetsWithSpend(db: Queryable): Promise<Row[]> {
  if (!(await hasSpendTable(db))) {
    return (await db.query('SELECT b.*, b.spent_micro_usd AS spent FROM budgets b')).rows;
  }
  const month = await currentSpendMonth(db);
  const sql = `SELECT b.*, coalesce(s.spent_micro_usd, 0) AS spent FROM budgets b
                 LEFT JOIN budget_spend s ON s.budget_id = b.id AND s.month = $1::${month.type}`;
  return (await db.query(sql, [month.value])).rows;
}

export interface DatabaseFingerprintOptions {
  /** Only the records of one run (ids `<prefix>-...`). */
  prefix?: string;
}

/** @param version the release whose fields are compared. */
export async function fingerprintFromDatabase(
  db: Queryable,
  version: string,
  options: DatabaseFingerprintOptions = {},
): Promise<Fingerprint> {
  const mine = inRun(options.prefix);
  const records: FingerprintRecord[] = [];
  const add = (
    kind: FingerprintRecord['kind'],
    rows: Row[],
    map: (r: Row) => Row,
    spent?: (r: Row) => number,
    owner: (r: Row) => unknown = (r) => r.id,
  ) => {
    for (const r of rows) {
      if (mine(String(owner(r)))) records.push(fingerprintRecord(kind, String(r.id), map(r), version, spent?.(r)));
    }
  };
  const q = async (sql: string) => (await db.query<Row>(sql)).rows;

  add('organization', await q('SELECT * FROM organizations'), (r) => ({ name: r.name }));
  add('project', await q('SELECT * FROM projects'), (r) => ({ organizationId: r.organization_id, name: r.name }));
  add('group', await q('SELECT * FROM groups'), (r) => ({ projectId: r.project_id, name: r.name }));
  const users = await q(`SELECT u.*, g.project_id, p.organization_id FROM users u
                           JOIN groups g ON g.id = u.group_id JOIN projects p ON p.id = g.project_id`);
  add('user', users, (r) => ({
    groupId: r.group_id,
    name: r.name,
    email: r.email,
    labels: r.labels,
    consumer: `${r.organization_id}.${r.project_id}.${r.id}`,
  }));
  const keys = await q('SELECT * FROM api_keys WHERE revoked_at IS NULL');
  const key = (r: Row) => ({ userId: r.user_id, name: r.name, hash: r.hash });
  add('key', keys, key, undefined, (r) => r.user_id);
  add('provider', await q('SELECT * FROM providers'), (r) => ({
    name: r.name,
    kind: r.kind,
    baseUrl: r.base_url,
    prices: {
      inputMicroUsdPerToken: num(r.input_micro_usd_per_token),
      outputMicroUsdPerToken: num(r.output_micro_usd_per_token),
    },
    hasCredential: typeof r.credential === 'string' && r.credential.length > 0,
  }));
  add('route', await q('SELECT * FROM routes'), (r) => ({
    model: r.model,
    providerId: r.provider_id,
    upstreamModel: r.upstream_model,
  }));
  add(
    'budget',
    await budgetsWithSpend(db),
    (r) => ({
      level: r.level,
      scopeId: r.scope_id,
      limitMicroUsd: num(r.limit_micro_usd),
      tokensPerMinute: num(r.tokens_per_minute),
    }),
    (r) => Number(r.spent),
  );
  add('guardrail', await q('SELECT * FROM guardrails'), (r) => ({
    projectId: r.project_id,
    kind: r.kind,
    pattern: r.pattern,
    words: r.words,
    action: r.action,
  }));
  return makeFingerprint('database', version, records);
}
