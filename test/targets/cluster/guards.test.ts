import { describe, expect, test } from 'vitest';
import { platformUrl } from '../../../src/common/addresses.ts';
import { BadInputError, exitCodeOf, StepFailedError } from '../../../src/common/errors.ts';
import { loadRelease } from '../../../src/release/catalog.ts';
import { loadTenantFixture, planTenants } from '../../../src/seed/index.ts';
import { clusterLimits, installedReleaseMustBe, mustAllow, runPrefix } from '../../../src/targets/cluster/guards.ts';
import { cappedRate } from '../../../src/targets/safety.ts';

const v170 = loadRelease('v1.7.0');
const installed = (tag: string) => ({
  global: { highAvailability: true },
  gateway: { image: { repository: 'upcert/gateway', tag } },
  controlPlane: { image: { tag: 'v1.7.0' } },
  console: { image: { tag: 'v1.7.0' } },
  identity: { image: { tag: 'v1.7.0' } },
});
const where = 'context staging, namespace upcert-platform, release upcert-platform';

describe('the cluster target starts only on the --from release (exit 2 otherwise)', () => {
  test('the installed release is --from: it starts', () => {
    expect(() => installedReleaseMustBe(v170, installed('v1.7.0'), where)).not.toThrow();
  });
  test('another release is installed: bad input naming each component that differs', () => {
    const error = (() => {
      try {
        installedReleaseMustBe(v170, installed('v1.8.0'), where);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toBe(
      `--from v1.7.0: the release installed in ${where} is not v1.7.0 (gateway runs v1.8.0, v1.7.0 pins v1.7.0)`,
    );
  });
  test('nothing installed: bad input', () => {
    expect(() => installedReleaseMustBe(v170, undefined, where)).toThrow(
      /no platform release is installed in context staging/,
    );
  });
});

describe('non-destructive by default', () => {
  test('rollback, restore and namespace deletion are refused without --allow-destructive, as failed steps naming the flag', () => {
    for (const op of ['rollback', 'restore', 'delete namespace'] as const) {
      const error = (() => {
        try {
          mustAllow(op, { allowDestructive: false });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(StepFailedError);
      expect((error as Error).message).toBe(
        `${op}: refused on an existing cluster (non-destructive by default; pass --allow-destructive to allow it)`,
      );
    }
    expect(() => mustAllow('rollback', { allowDestructive: true })).not.toThrow();
  });

  test('the limits the journey reads: refusals with their reason, the load cap and the tenant prefix', () => {
    const safe = clusterLimits({ allowDestructive: false, maxLoadRate: 50, tenantPrefix: 'uc1a2b3c' });
    expect(safe).toEqual({
      rollback: { allowed: false, reason: 'refused on an existing cluster without --allow-destructive' },
      restore: { allowed: false, reason: 'refused on an existing cluster without --allow-destructive' },
      maxLoadRate: 50,
      tenantPrefix: 'uc1a2b3c',
      // the harmless hand edit, with the kubelet's ConfigMap refresh (sync period + cache TTL) as its deadline
      handEdit: { setting: 'response-tag', deadlineSeconds: 150 },
    });
    expect(
      clusterLimits({ allowDestructive: false, maxLoadRate: 50, tenantPrefix: 'x', handEditSeconds: 240 }).handEdit,
    ).toEqual({ setting: 'response-tag', deadlineSeconds: 240 });
    expect(clusterLimits({ allowDestructive: true, maxLoadRate: 50, tenantPrefix: 'x' }).rollback.allowed).toBe(true);
    expect(cappedRate(400, safe)).toBe(50);
    expect(cappedRate(20, safe)).toBe(20);
    expect(cappedRate(400, undefined)).toBe(400);
  });

  test('the run prefix is a short slug, stable per run id and different across runs', () => {
    const a = runPrefix('20261127-175500-v1.7.0-v1.8.0');
    expect(a).toMatch(/^[a-z0-9][a-z0-9-]{0,19}$/);
    expect(runPrefix('20261127-175500-v1.7.0-v1.8.0')).toBe(a);
    expect(runPrefix('20261127-175501-v1.7.0-v1.8.0')).not.toBe(a);
  });

  test('every tenant id seeded under the prefix carries it (so that the run deletes only its own)', async () => {
    const prefix = runPrefix('20261127-175500-v1.7.0-v1.8.0');
    const set = planTenants(await loadTenantFixture(), {
      version: 'v1.7.0',
      prefix,
      providerMockUrl: platformUrl('http://127.0.0.1:1'),
    });
    const ids = [...set.organizations, ...set.projects, ...set.users].map((r) => r.id);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) expect(id.startsWith(`${prefix}-`)).toBe(true);
  });
});
