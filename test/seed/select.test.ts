import { beforeAll, describe, expect, it } from 'vitest';
import { platformUrl } from '../../src/common/addresses.ts';
import type { TenantFixture } from '../../src/seed/fixture-schema.ts';
import { loadTenantFixture } from '../../src/seed/load-fixture.ts';
import { withPrefix } from '../../src/seed/prefix.ts';
import { planTenants } from '../../src/seed/seed.ts';
import { selectForVersion } from '../../src/seed/select.ts';
import { compareVersions } from '../../src/seed/version.ts';

let fixture: TenantFixture;
beforeAll(async () => {
  fixture = await loadTenantFixture();
});

describe('selectForVersion', () => {
  it('v1.7.0 has no labels, no group or organization budgets and no deny-words guardrail', () => {
    const set = selectForVersion(fixture, 'v1.7.0');
    expect(set.users).toHaveLength(fixture.users.length);
    expect(set.users.filter((u) => 'labels' in u)).toEqual([]);
    expect([...new Set(set.budgets.map((b) => b.level))].sort()).toEqual(['project', 'user']);
    expect(set.guardrails.every((g) => g.kind === 'regex')).toBe(true);
    expect(JSON.stringify(set)).not.toContain('since');
  });

  it('v1.8.0 has labels and group and organization budgets, still no deny-words', () => {
    const set = selectForVersion(fixture, 'v1.8.0');
    expect(set.users.find((u) => u.id === 'zoe')?.labels).toEqual({ team: 'search', tier: 'gold' });
    expect(set.users.find((u) => u.id === 'alexandros')).not.toHaveProperty('labels');
    expect([...new Set(set.budgets.map((b) => b.level))].sort()).toEqual(['group', 'organization', 'project', 'user']);
    expect(set.guardrails.some((g) => g.kind === 'deny-words')).toBe(false);
  });

  it('v1.9.0 and later (compared numerically: v1.10.0 > v1.9.0) have the deny-words guardrail', () => {
    expect(compareVersions('v1.10.0', 'v1.9.0')).toBeGreaterThan(0);
    for (const v of ['v1.9.0', 'v1.10.0']) {
      expect(selectForVersion(fixture, v).guardrails.find((g) => g.kind === 'deny-words')?.id).toBe(
        'gr-acme-ml-deny-words',
      );
    }
  });
});

describe('run prefix and placeholders', () => {
  it('prefixes every id, every reference to it and every logical model', () => {
    const set = withPrefix(selectForVersion(fixture, 'v1.8.0'), 'r1a2b');
    const ids = [set.organizations, set.projects, set.groups, set.users, set.budgets, set.guardrails, set.routes]
      .flat()
      .map((r) => r.id);
    expect(ids.every((id) => id.startsWith('r1a2b-'))).toBe(true);
    expect(set.projects.every((p) => set.organizations.some((o) => o.id === p.organizationId))).toBe(true);
    expect(set.budgets.find((b) => b.id === 'r1a2b-bud-user-zoe')?.scopeId).toBe('r1a2b-zoe');
    expect(set.routes.map((r) => r.model).sort()).toEqual(['r1a2b-bulk', 'r1a2b-coding-default']);
    expect(set.users.every((u) => u.load.model.startsWith('r1a2b-'))).toBe(true);
    expect(() => withPrefix(set, 'Not Valid')).toThrow(/not a short slug/);
  });

  it('resolves the provider mock placeholder in providers and refuses an unknown placeholder', () => {
    const set = planTenants(fixture, { version: 'v1.7.0', providerMockUrl: platformUrl('http://127.0.0.1:4500/') });
    expect(set.providers.map((p) => p.baseUrl)).toEqual(['http://127.0.0.1:4500/v1', 'http://127.0.0.1:4500/v1']);
    const odd = structuredClone(fixture);
    odd.providers[0]!.baseUrl = `\${elsewhere}/v1`;
    expect(() => planTenants(odd, { version: 'v1.7.0', providerMockUrl: platformUrl('http://x') })).toThrow(
      /\$\{elsewhere\}/,
    );
  });
});
