/**
 * A tenant fingerprint: one canonical record per entity (kind + id → sorted-key JSON of what the release
 * knows of it), budgets' spend kept apart from their content so that limits compare exactly and spend with
 * arithmetic, and sha256 digests over the whole. The API and the database map into the same shapes here.
 */
import { createHash } from 'node:crypto';
import { knows } from './version.ts';

export const fingerprintKinds = [
  'organization',
  'project',
  'group',
  'user',
  'key',
  'provider',
  'route',
  'budget',
  'guardrail',
] as const;
export type FingerprintKind = (typeof fingerprintKinds)[number];

export interface FingerprintRecord {
  kind: FingerprintKind;
  id: string;
  content: Record<string, unknown>;
  /** Sorted-key JSON of `content`. */
  json: string;
  /** Budgets only: month-to-date spend (v1.7.0: the spend column), integer micro-USD. */
  spentMicroUsd?: number;
}

export interface Fingerprint {
  source: 'api' | 'database';
  /** The release whose fields were fingerprinted. */
  version: string;
  takenAt: string;
  records: FingerprintRecord[];
  /** sha256 over every record's kind, id and content (configuration only). */
  configSha256: string;
  /** sha256 over everything, spend included. */
  sha256: string;
}

/** JSON with object keys sorted at every depth and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** The fields of one entity, by kind, that release `version` knows; `raw` is API-shaped (camelCase). */
export function canonicalContent(kind: FingerprintKind, raw: Record<string, unknown>, version: string) {
  const pick = (...names: string[]) => Object.fromEntries(names.map((n) => [n, raw[n] ?? null]));
  switch (kind) {
    case 'organization':
      return pick('name');
    case 'project':
      return pick('organizationId', 'name');
    case 'group':
      return pick('projectId', 'name');
    case 'user':
      return knows(version, 'v1.8.0')
        ? { ...pick('groupId', 'name', 'email', 'consumer'), labels: raw.labels ?? {} }
        : pick('groupId', 'name', 'email', 'consumer');
    case 'key':
      return pick('userId', 'name', 'hash');
    case 'provider':
      return pick('name', 'kind', 'baseUrl', 'prices', 'hasCredential');
    case 'route':
      return pick('model', 'providerId', 'upstreamModel');
    case 'budget':
      return pick('level', 'scopeId', 'limitMicroUsd', 'tokensPerMinute');
    case 'guardrail':
      return raw.kind === 'regex'
        ? pick('projectId', 'kind', 'pattern', 'action')
        : pick('projectId', 'kind', 'words', 'action');
  }
}

export function fingerprintRecord(
  kind: FingerprintKind,
  id: string,
  raw: Record<string, unknown>,
  version: string,
  spentMicroUsd?: number,
): FingerprintRecord {
  const content = JSON.parse(canonicalJson(canonicalContent(kind, raw, version))) as Record<string, unknown>;
  return { kind, id, content, json: canonicalJson(content), ...(spentMicroUsd === undefined ? {} : { spentMicroUsd }) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function makeFingerprint(
  source: Fingerprint['source'],
  version: string,
  records: FingerprintRecord[],
): Fingerprint {
  const order = (r: FingerprintRecord) => fingerprintKinds.indexOf(r.kind);
  const sorted = [...records].sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const config = sorted.map((r) => `${r.kind}\t${r.id}\t${r.json}`).join('\n');
  const spend = sorted.map((r) => (r.spentMicroUsd === undefined ? '' : `${r.kind}\t${r.id}\t${r.spentMicroUsd}`));
  return {
    source,
    version,
    takenAt: new Date().toISOString(),
    records: sorted,
    configSha256: sha256(config),
    sha256: sha256(`${config}\n--\n${spend.filter(Boolean).join('\n')}`),
  };
}

/** Whether an id belongs to the run (prefix `<prefix>-`), or every id when there is no prefix. */
export function inRun(prefix: string | undefined): (id: string) => boolean {
  return prefix ? (id) => id.startsWith(`${prefix}-`) : () => true;
}
