/**
 * Harness URLs and platform URLs are separate types: the compiler refuses one where the other is wanted
 * (each `@ts-expect-error` below fails `tsc --noEmit` the day the refusal goes away), and a seeded provider's
 * baseUrl can only be a platform URL.
 */
import { describe, expect, it } from 'vitest';
import { harnessUrl, platformUrl } from '../../src/common/addresses.ts';
import { loadTenantFixture } from '../../src/seed/load-fixture.ts';
import { planTenants } from '../../src/seed/seed.ts';
import type { PlatformEndpoints, PlatformUrls } from '../../src/targets/target.ts';

describe('two kinds of address', () => {
  it('seeds providers with the platform URL, and the compiler refuses a harness URL there', async () => {
    const fixture = await loadTenantFixture();
    const inCluster = platformUrl('http://provider-mock.upcert-platform.svc.cluster.local');
    const set = planTenants(fixture, { version: 'v1.8.0', providerMockUrl: inCluster });
    expect(set.providers.length).toBeGreaterThan(0);
    for (const p of set.providers) expect(p.baseUrl.startsWith('http://provider-mock.upcert-platform.svc')).toBe(true);

    const tunnel = harnessUrl('http://127.0.0.1:30084');
    // @ts-expect-error a harness URL (what upcert reaches) is not where the platform's gateways can call
    planTenants(fixture, { version: 'v1.8.0', providerMockUrl: tunnel });
    // @ts-expect-error nor is a plain string: every address says which kind it is
    planTenants(fixture, { version: 'v1.8.0', providerMockUrl: 'http://127.0.0.1:30084' });
  });

  it('a platform URL is not a harness endpoint either', () => {
    const urls: PlatformUrls = { providerMock: platformUrl('http://provider-mock.ns.svc.cluster.local') };
    const endpoints: Partial<PlatformEndpoints> = {
      // @ts-expect-error the harness cannot resolve in-cluster names
      providerMock: urls.providerMock,
    };
    expect(endpoints.providerMock).toBe('http://provider-mock.ns.svc.cluster.local');
  });
});
