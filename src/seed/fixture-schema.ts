/**
 * The tenant fixture (`fixtures/tenants/*.yaml`), written once for every release. A record that a later
 * release introduced carries `since: vX.Y.Z`; a field that a later release introduced is written
 * `{ since: vX.Y.Z, value: ... }`. The cross-record rules (references, money, load profile) live in
 * `fixture-rules.ts`.
 */
import { z } from 'zod';

export const versionString = z.string().regex(/^v\d+\.\d+\.\d+$/, 'expected a version like v1.8.0');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a slug: lowercase letters, digits, -');
const microUsd = z.number().int().nonnegative();
const since = { since: versionString.optional() };

/** A field introduced by a later release: `labels: { since: v1.8.0, value: { team: search } }`. */
export function sinceField<T extends z.ZodType>(value: T) {
  return z.strictObject({ since: versionString, value });
}

export const organizationSchema = z.strictObject({ id: slug, name: z.string().min(1), ...since });
export const projectSchema = z.strictObject({ id: slug, organizationId: slug, name: z.string().min(1), ...since });
export const groupSchema = z.strictObject({ id: slug, projectId: slug, name: z.string().min(1), ...since });

export const historyEntrySchema = z.strictObject({
  model: z.string().min(1),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costMicroUsd: microUsd,
});

export const expectedStatuses = [200, 403, 429] as const;
export const loadProfileSchema = z.strictObject({
  model: z.string().min(1),
  expect: z.union(expectedStatuses.map((s) => z.literal(s))),
  prompt: z.string().min(1),
});

export const userSchema = z.strictObject({
  id: slug,
  groupId: slug,
  name: z.string().min(1),
  email: z.email(),
  labels: sinceField(z.record(z.string().min(1), z.string())).optional(),
  /** Usage recorded before the run, seeded through the database. */
  history: z.array(historyEntrySchema).optional(),
  load: loadProfileSchema,
  ...since,
});

export const providerSchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  kind: z.literal('openai-compatible'),
  /** May hold `${providerMock}`, the provider mock's root URL of the run. */
  baseUrl: z.string().min(1),
  prices: z.strictObject({ inputMicroUsdPerToken: microUsd, outputMicroUsdPerToken: microUsd }),
  ...since,
});

export const routeSchema = z.strictObject({
  id: slug,
  model: z.string().min(1),
  providerId: slug,
  upstreamModel: z.string().min(1),
  ...since,
});

export const budgetLevels = ['organization', 'project', 'group', 'user'] as const;
export type BudgetLevel = (typeof budgetLevels)[number];
export const budgetSchema = z.strictObject({
  id: slug,
  level: z.enum(budgetLevels),
  scopeId: slug,
  limitMicroUsd: microUsd,
  tokensPerMinute: z.number().int().positive().optional(),
  ...since,
});

const regexGuardrail = z.strictObject({
  id: slug,
  projectId: slug,
  kind: z.literal('regex'),
  pattern: z.string().min(1).max(512),
  action: z.literal('block'),
  ...since,
});
const denyWordsGuardrail = z.strictObject({
  id: slug,
  projectId: slug,
  kind: z.literal('deny-words'),
  words: z.array(z.string().min(1)).min(1),
  action: z.literal('block'),
  ...since,
});
export const guardrailSchema = z.discriminatedUnion('kind', [regexGuardrail, denyWordsGuardrail]);

/** One fixture file: any subset of the kinds. */
export const fixtureFileSchema = z.strictObject({
  organizations: z.array(organizationSchema).default([]),
  projects: z.array(projectSchema).default([]),
  groups: z.array(groupSchema).default([]),
  users: z.array(userSchema).default([]),
  providers: z.array(providerSchema).default([]),
  routes: z.array(routeSchema).default([]),
  budgets: z.array(budgetSchema).default([]),
  guardrails: z.array(guardrailSchema).default([]),
});

export type TenantFixture = z.infer<typeof fixtureFileSchema>;

export type FixtureUser = z.infer<typeof userSchema>;
export type FixtureBudget = z.infer<typeof budgetSchema>;
export type FixtureGuardrail = z.infer<typeof guardrailSchema>;
export type FixtureProvider = z.infer<typeof providerSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type LoadProfile = z.infer<typeof loadProfileSchema>;
export type ExpectedStatus = (typeof expectedStatuses)[number];

/** The kinds of tenant records, in the order they are created (dependencies first). */
export const tenantKinds = [
  'organizations',
  'projects',
  'groups',
  'users',
  'providers',
  'routes',
  'budgets',
  'guardrails',
] as const;
export type TenantKind = (typeof tenantKinds)[number];
