import { beforeAll, describe, expect, it } from 'vitest';
import { describeDifference, diffFingerprints } from '../../src/seed/fingerprint-diff.ts';
import { type FingerprintRecord, fingerprintRecord, makeFingerprint } from '../../src/seed/fingerprint-record.ts';
import { loadTenantFixture } from '../../src/seed/load-fixture.ts';
import { selectForVersion, type TenantSet } from '../../src/seed/select.ts';

let set: TenantSet;
beforeAll(async () => {
  set = selectForVersion(await loadTenantFixture(), 'v1.8.0');
});

/** Records as a reader of the API or the database would produce them, with an edit applied to users. */
function records(editUser: (u: Record<string, unknown>) => void = () => {}, spend = 0): FingerprintRecord[] {
  const users = set.users.map(({ history: _h, load: _l, ...u }) => {
    const raw: Record<string, unknown> = structuredClone(u);
    editUser(raw);
    return fingerprintRecord('user', u.id, raw, set.version);
  });
  const budgets = set.budgets.map((b) => fingerprintRecord('budget', b.id, { ...b }, set.version, spend));
  return [...users, ...budgets];
}

describe('fingerprints', () => {
  it('does not depend on key order or record order', () => {
    const a = makeFingerprint('api', 'v1.8.0', records());
    const reordered = records().reverse();
    const b = makeFingerprint('database', 'v1.8.0', reordered);
    expect(b.sha256).toBe(a.sha256);
    expect(diffFingerprints(a, b, { spend: true })).toEqual([]);
  });

  it('finds a dropped label', () => {
    const before = makeFingerprint('api', 'v1.8.0', records());
    const after = makeFingerprint(
      'api',
      'v1.8.0',
      records((u) => {
        if (u.id === 'zoe') delete (u.labels as Record<string, string>).tier;
      }),
    );
    const diff = diffFingerprints(before, after);
    expect(diff).toEqual([{ kind: 'user', id: 'zoe', field: 'labels.tier', before: 'gold', after: undefined }]);
    expect(describeDifference(diff[0]!)).toBe('user zoe: labels.tier: "gold" → (absent)');
    expect(after.configSha256).not.toBe(before.configSha256);
  });

  it('finds a non-ASCII name mangled into mojibake', () => {
    const mangle = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    const before = makeFingerprint('api', 'v1.8.0', records());
    const after = makeFingerprint(
      'api',
      'v1.8.0',
      records((u) => {
        if (u.id === 'sakura') u.name = mangle(u.name as string);
      }),
    );
    const diff = diffFingerprints(before, after);
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatchObject({ kind: 'user', id: 'sakura', field: 'name', before: '渡辺 さくら' });
    expect(diff[0]!.after).not.toBe('渡辺 さくら');
  });

  it('reports missing and extra records, and spend only when asked', () => {
    const before = makeFingerprint('api', 'v1.8.0', records());
    const all = records(undefined, 500);
    const after = makeFingerprint('api', 'v1.8.0', [
      ...all.filter((r) => r.id !== 'omar'),
      fingerprintRecord('organization', 'stray', { name: 'Stray' }, 'v1.8.0'),
    ]);
    const diff = diffFingerprints(before, after);
    expect(diff.map(describeDifference)).toEqual(['user omar: missing', 'organization stray: extra']);
    const withSpend = diffFingerprints(before, after, { spend: true }).filter((d) => d.field === 'spentMicroUsd');
    expect(withSpend).toHaveLength(set.budgets.length);
    expect(after.configSha256).not.toBe(before.configSha256);
  });

  it('leaves out fields the fingerprinted release does not know', () => {
    const user = set.users.find((u) => u.id === 'zoe')!;
    expect(fingerprintRecord('user', 'zoe', { ...user, labels: {} }, 'v1.7.0').content).not.toHaveProperty('labels');
    expect(fingerprintRecord('user', 'zoe', { ...user }, 'v1.8.0').content.labels).toEqual(user.labels);
  });
});
