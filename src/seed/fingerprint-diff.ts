/**
 * Differences between two fingerprints, field by field: a missing record, an extra record, or a changed
 * field (nested objects such as `labels` and `prices` by dotted path, so a dropped label reads
 * `labels.team`). Spend is compared only when asked: `budgets-preserved` does its own arithmetic.
 */
import { canonicalJson, type Fingerprint, type FingerprintKind, type FingerprintRecord } from './fingerprint-record.ts';

export interface FingerprintDifference {
  kind: FingerprintKind;
  id: string;
  /** `(record)` when the whole record is missing or extra; else the field's dotted path. */
  field: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function diffValues(path: string, a: unknown, b: unknown, out: { field: string; before: unknown; after: unknown }[]) {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ field: path, before: a, after: b });
}

export function diffFingerprints(
  before: Fingerprint,
  after: Fingerprint,
  options: { spend?: boolean } = {},
): FingerprintDifference[] {
  const key = (r: FingerprintRecord) => `${r.kind}\u0000${r.id}`;
  const afterByKey = new Map(after.records.map((r) => [key(r), r]));
  const beforeKeys = new Set(before.records.map(key));
  const out: FingerprintDifference[] = [];
  for (const b of before.records) {
    const a = afterByKey.get(key(b));
    if (!a) {
      out.push({ kind: b.kind, id: b.id, field: '(record)', before: b.content, after: undefined });
      continue;
    }
    const fields: { field: string; before: unknown; after: unknown }[] = [];
    diffValues('', b.content, a.content, fields);
    if (options.spend && b.spentMicroUsd !== a.spentMicroUsd) {
      fields.push({ field: 'spentMicroUsd', before: b.spentMicroUsd, after: a.spentMicroUsd });
    }
    for (const f of fields) out.push({ kind: b.kind, id: b.id, ...f });
  }
  for (const a of after.records) {
    if (!beforeKeys.has(key(a)))
      out.push({ kind: a.kind, id: a.id, field: '(record)', before: undefined, after: a.content });
  }
  return out;
}

/** One line per difference, e.g. `user zoe: labels.team: "search" → (absent)`. */
export function describeDifference(d: FingerprintDifference): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (d.field === '(record)') return `${d.kind} ${d.id}: ${d.after === undefined ? 'missing' : 'extra'}`;
  return `${d.kind} ${d.id}: ${d.field}: ${show(d.before)} → ${show(d.after)}`;
}
