import { defaultPrompt } from '../load/consumers.ts';
import type { PlatformProfile } from '../platform/profile.ts';
import type { AdapterTenants } from '../platform/tenant-adapter.ts';
import type { SeededTenants } from './seeded.ts';

/**
 * Tenants upcert did not seed through the reference API: no records of its own; the load speaks for the given
 * consumers, with the headers the platform's gateway routes by (`{providerMock}`: the mock upstream as the
 * platform's processes reach it), at the given prices.
 */
function trafficTenants(
  profile: PlatformProfile,
  version: string,
  providerMockUrl: string,
  traffic: Pick<AdapterTenants, 'consumers' | 'prices'>,
): SeededTenants {
  const headers = Object.fromEntries(
    Object.entries(profile.gateway.headers).map(([k, v]) => [k, v.replaceAll('{providerMock}', providerMockUrl)]),
  );
  return {
    version,
    prefix: undefined,
    records: {
      organizations: [],
      projects: [],
      groups: [],
      users: [],
      keys: [],
      providers: [],
      routes: [],
      budgets: [],
      guardrails: [],
    },
    keys: {},
    load: traffic.consumers.map((c) => ({
      consumer: c.consumer,
      userId: c.consumer,
      keyId: c.consumer,
      key: c.key,
      model: c.model,
      expect: c.expect,
      prompt: defaultPrompt,
      headers,
    })),
    prices: traffic.prices,
    history: [],
  };
}

/**
 * The tenants of a platform that has no tenant API and no adapter (its profile names its traffic): nothing is
 * created; the load speaks for the consumers its profile names.
 */
export function profileTraffic(profile: PlatformProfile, version: string, providerMockUrl: string): SeededTenants {
  if (!profile.traffic) throw new Error(`platform ${profile.name} names no traffic (profile.traffic)`);
  return trafficTenants(profile, version, providerMockUrl, profile.traffic);
}

/** The tenants a platform's tenant adapter created: the load speaks for the consumers it returned. */
export function adapterTraffic(
  profile: PlatformProfile,
  version: string,
  providerMockUrl: string,
  tenants: AdapterTenants,
): SeededTenants {
  return trafficTenants(profile, version, providerMockUrl, tenants);
}
