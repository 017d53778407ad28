/**
 * Rules across records of the merged tenant fixture: unique ids, references, what each release introduced,
 * history cost equal to tokens × route prices, and a load profile that can only get what it expects.
 */
import type { z } from 'zod';
import { costMicroUsd } from '../common/prices.ts';
import { type FixtureGuardrail, type FixtureUser, fixtureFileSchema, type TenantFixture } from './fixture-schema.ts';
import { budgetHolds, scopeOf } from './scope.ts';
import { compareVersions } from './version.ts';

/** Normal consumers must never reach a cap under a few minutes of load. */
export const minimumHeadroomMicroUsd = 1_000_000_000;

/** What the platform's releases introduced (REFERENCE-PLATFORM.md, Versions). */
const introducedIn: Record<string, string> = {
  'budget:group': 'v1.8.0',
  'budget:organization': 'v1.8.0',
  'guardrail:deny-words': 'v1.9.0',
};

type Issue = { path: (string | number)[]; message: string };

export function fixtureIssues(f: TenantFixture): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  for (const kind of Object.keys(f) as (keyof TenantFixture)[]) {
    const seen = new Set<string>();
    f[kind].forEach((r, i) => {
      if (seen.has(r.id)) add([kind, i, 'id'], `duplicate ${kind} id ${r.id}`);
      seen.add(r.id);
    });
  }
  const has = (list: readonly { id: string }[], id: string) => list.some((r) => r.id === id);
  f.projects.forEach((p, i) => {
    if (!has(f.organizations, p.organizationId)) add(['projects', i, 'organizationId'], `unknown ${p.organizationId}`);
  });
  f.groups.forEach((g, i) => {
    if (!has(f.projects, g.projectId)) add(['groups', i, 'projectId'], `unknown project ${g.projectId}`);
  });
  f.routes.forEach((r, i) => {
    if (!has(f.providers, r.providerId)) add(['routes', i, 'providerId'], `unknown provider ${r.providerId}`);
    if (f.routes.findIndex((o) => o.model === r.model) !== i) add(['routes', i, 'model'], `duplicate ${r.model}`);
  });
  f.guardrails.forEach((g, i) => {
    if (!has(f.projects, g.projectId)) add(['guardrails', i, 'projectId'], `unknown project ${g.projectId}`);
    checkIntroduced(`guardrail:${g.kind}`, g.since, ['guardrails', i, 'since'], add);
  });
  const scopeLists = { organization: f.organizations, project: f.projects, group: f.groups, user: f.users };
  f.budgets.forEach((b, i) => {
    if (!has(scopeLists[b.level], b.scopeId)) add(['budgets', i, 'scopeId'], `unknown ${b.level} ${b.scopeId}`);
    checkIntroduced(`budget:${b.level}`, b.since, ['budgets', i, 'since'], add);
  });
  f.users.forEach((u, i) => {
    if (!has(f.groups, u.groupId)) add(['users', i, 'groupId'], `unknown group ${u.groupId}`);
    checkUserMoney(f, u, i, add);
  });
  f.users.forEach((u, i) => {
    checkLoad(f, u, i, add);
  });
  return issues;
}

function checkIntroduced(feature: string, since: string | undefined, path: Issue['path'], add: AddIssue) {
  const needed = introducedIn[feature];
  if (needed && (since === undefined || compareVersions(since, needed) < 0)) {
    add(path, `${feature.replace(':', ' ')} exists only from ${needed}: mark it since: ${needed}`);
  }
}

type AddIssue = (path: Issue['path'], message: string) => void;

function priceOf(f: TenantFixture, model: string) {
  const route = f.routes.find((r) => r.model === model);
  return route && f.providers.find((p) => p.id === route.providerId)?.prices;
}

function checkUserMoney(f: TenantFixture, u: FixtureUser, i: number, add: AddIssue) {
  if (!priceOf(f, u.load.model)) add(['users', i, 'load', 'model'], `no route for model ${u.load.model}`);
  u.history?.forEach((h, j) => {
    const prices = priceOf(f, h.model);
    if (!prices) {
      add(['users', i, 'history', j, 'model'], `no route for model ${h.model}`);
      return;
    }
    const cost = costMicroUsd(prices, h.promptTokens, h.completionTokens);
    if (cost !== h.costMicroUsd) add(['users', i, 'history', j, 'costMicroUsd'], `tokens × prices = ${cost}`);
  });
}

/** Spend recorded against a budget before the run: the history of every consumer it holds. */
export function recordedSpend(f: TenantFixture, budget: { level: string; scopeId: string }): number {
  let total = 0;
  for (const u of f.users) {
    const scope = scopeOf(f, u.id);
    if (scope && budgetHolds(budget, scope)) total += (u.history ?? []).reduce((s, h) => s + h.costMicroUsd, 0);
  }
  return total;
}

function blocks(g: FixtureGuardrail, prompt: string, strict: boolean): boolean {
  if (g.kind === 'regex') return new RegExp(g.pattern, strict ? '' : 'i').test(prompt);
  return g.words.some((w) => prompt.toLowerCase().includes(w.toLowerCase()));
}

function checkLoad(f: TenantFixture, u: FixtureUser, i: number, addIssue: AddIssue) {
  const scope = scopeOf(f, u.id);
  if (!scope) return;
  const path = ['users', i, 'load', 'expect'];
  const add = (p: Issue['path'], message: string) => addIssue(p, `${u.id}: ${message}`);
  const guardrails = f.guardrails.filter((g) => g.projectId === scope.projectId);
  const budgets = f.budgets.filter((b) => budgetHolds(b, scope));
  if (u.load.expect === 403) {
    if (!guardrails.some((g) => g.since === undefined && blocks(g, u.load.prompt, true)))
      add(path, `403 expected but no guardrail of ${scope.projectId} present in every release blocks the prompt`);
    return;
  }
  const blocker = guardrails.find((g) => blocks(g, u.load.prompt, false));
  if (blocker) add(['users', i, 'load', 'prompt'], `guardrail ${blocker.id} would block this prompt`);
  const over = budgets.filter((b) => recordedSpend(f, b) >= b.limitMicroUsd);
  if (u.load.expect === 429 && !over.some((b) => b.since === undefined))
    add(path, '429 expected but no budget present in every release starts over its cap');
  if (u.load.expect === 200) {
    for (const b of budgets) {
      if (b.limitMicroUsd - recordedSpend(f, b) < minimumHeadroomMicroUsd)
        add(path, `budget ${b.id} leaves less than ${minimumHeadroomMicroUsd} micro-USD of headroom`);
    }
  }
}

/** zod refinement over the merged fixture. */
export function refineFixture(f: TenantFixture, ctx: z.RefinementCtx): void {
  for (const issue of fixtureIssues(f)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

/** The merged fixture (every file of `fixtures/tenants/`), with the rules across records. */
export const tenantFixtureSchema = fixtureFileSchema.superRefine(refineFixture);
