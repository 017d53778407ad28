/**
 * What a seed run created: the records by kind (as sent to the API, providers without credentials), one
 * API key per consumer (the secret kept in memory only and registered for redaction), the load consumers
 * and the prices per logical model, so that the harness can compute the exact spend it causes.
 */

import type { ModelPrices } from '../common/prices.ts';
import type { ExpectedStatus } from './fixture-schema.ts';
import type {
  BudgetRecord,
  GroupRecord,
  GuardrailRecord,
  OrganizationRecord,
  ProjectRecord,
  RouteRecord,
  UserRecord,
} from './select.ts';

export interface SeededUser extends UserRecord {
  /** `<organizationId>.<projectId>.<userId>` */
  consumer: string;
}
export interface SeededProvider {
  id: string;
  name: string;
  kind: 'openai-compatible';
  baseUrl: string;
  prices: ModelPrices;
}
export interface KeyRecord {
  id: string;
  userId: string;
  name: string;
}
export interface SeededKey extends KeyRecord {
  consumer: string;
  /** The key itself (`sk-up-...`): shown once by the API, never written anywhere. */
  secret: string;
}
export interface LoadConsumer {
  consumer: string;
  userId: string;
  keyId: string;
  /** The API key to send (`Authorization: Bearer <key>`). */
  key: string;
  model: string;
  expect: ExpectedStatus;
  prompt: string;
  /** Headers every request of this consumer carries besides its key (a platform that routes by header). */
  headers?: Readonly<Record<string, string>>;
}
/** Usage seeded through the database before the run, per consumer. */
export interface RecordedHistory {
  consumer: string;
  requests: number;
  costMicroUsd: number;
  /** The budgets whose spend it raised. */
  budgetIds: string[];
}

export interface SeededRecords {
  organizations: OrganizationRecord[];
  projects: ProjectRecord[];
  groups: GroupRecord[];
  users: SeededUser[];
  keys: KeyRecord[];
  providers: SeededProvider[];
  routes: RouteRecord[];
  budgets: BudgetRecord[];
  guardrails: GuardrailRecord[];
}

export interface SeededTenants {
  /** The release the tenants were seeded on: the fields that release knows. */
  version: string;
  /** The run prefix of every id, when there is one (non-destructive cluster target). */
  prefix: string | undefined;
  records: SeededRecords;
  /** One key per consumer, by consumer. */
  keys: Record<string, SeededKey>;
  load: LoadConsumer[];
  /** By logical model (as seeded, prefix included). */
  prices: Record<string, ModelPrices>;
  history: RecordedHistory[];
}
