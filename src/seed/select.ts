/**
 * From the tenant fixture, only what one release knows: records whose `since` is later are dropped, and a
 * field whose `since` is later is left out (a known one is unwrapped to its value). Versions compare
 * numerically.
 */

import type { ModelPrices } from '../common/prices.ts';
import type { BudgetLevel, HistoryEntry, LoadProfile, TenantFixture } from './fixture-schema.ts';
import { knows } from './version.ts';

export interface OrganizationRecord {
  id: string;
  name: string;
}
export interface ProjectRecord {
  id: string;
  organizationId: string;
  name: string;
}
export interface GroupRecord {
  id: string;
  projectId: string;
  name: string;
}
export interface UserRecord {
  id: string;
  groupId: string;
  name: string;
  email: string;
  labels?: Record<string, string>;
}
/** A user of the set, with what is not part of the API record: recorded history and the load profile. */
export interface TenantUser extends UserRecord {
  history: HistoryEntry[];
  load: LoadProfile;
}
export interface ProviderRecord {
  id: string;
  name: string;
  kind: 'openai-compatible';
  baseUrl: string;
  prices: ModelPrices;
}
export interface RouteRecord {
  id: string;
  model: string;
  providerId: string;
  upstreamModel: string;
}
export interface BudgetRecord {
  id: string;
  level: BudgetLevel;
  scopeId: string;
  limitMicroUsd: number;
  tokensPerMinute?: number;
}
export type GuardrailRecord =
  | { id: string; projectId: string; kind: 'regex'; pattern: string; action: 'block' }
  | { id: string; projectId: string; kind: 'deny-words'; words: string[]; action: 'block' };

/** What one release knows of the fixture. */
export interface TenantSet {
  version: string;
  organizations: OrganizationRecord[];
  projects: ProjectRecord[];
  groups: GroupRecord[];
  users: TenantUser[];
  providers: ProviderRecord[];
  routes: RouteRecord[];
  budgets: BudgetRecord[];
  guardrails: GuardrailRecord[];
}

type WithoutSince<T> = T extends unknown ? Omit<T, 'since'> : never;

function known<T extends { since?: string | undefined }>(version: string, records: T[]): WithoutSince<T>[] {
  return records.filter((r) => knows(version, r.since)).map(({ since: _since, ...rest }) => rest as WithoutSince<T>);
}

export function selectForVersion(fixture: TenantFixture, version: string): TenantSet {
  return {
    version,
    organizations: known(version, fixture.organizations),
    projects: known(version, fixture.projects),
    groups: known(version, fixture.groups),
    users: known(version, fixture.users).map(({ labels, history, ...user }) => ({
      ...user,
      ...(labels && knows(version, labels.since) ? { labels: { ...labels.value } } : {}),
      history: history ?? [],
    })),
    providers: known(version, fixture.providers),
    routes: known(version, fixture.routes),
    budgets: known(version, fixture.budgets),
    guardrails: known(version, fixture.guardrails),
  };
}
