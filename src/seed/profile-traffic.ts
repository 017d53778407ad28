import { defaultPrompt } from '../load/consumers.ts';
import type { PlatformProfile } from '../platform/profile.ts';
import type { SeededTenants } from './seeded.ts';

/**
 * The tenants of a platform that has no tenant API to seed them through (its profile declares `tenant-api`
 * unsupported): nothing is created; the load speaks for the consumers its profile names, with the headers the
 * gateway routes by (`{providerMock}`: the mock upstream as the platform's processes reach it), at its prices.
 */
export function profileTraffic(profile: PlatformProfile, version: string, providerMockUrl: string): SeededTenants {
  const traffic = profile.traffic;
  if (!traffic) throw new Error(`platform ${profile.name} names no traffic (profile.traffic)`);
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
