import { redact } from '../../common/logger.ts';
import { probeTenantBase } from '../../seed/api-writes.ts';
import { type ConfigApi, ConfigApiError, type ConfigApiOptions } from '../../seed/config-api.ts';
import type { Queryable } from '../../seed/database.ts';
import { deleteTenants } from '../../seed/delete.ts';
import type { SeededRecords } from '../../seed/seeded.ts';

/**
 * config-live's own tenant: an organization of its own (so that its probes' spend never reaches a seeded
 * budget), a user with a key and a budget, and a route of its own logical model (so that its probes never use
 * a seeded route). Its ids do not start with the run prefix, so no tenant fingerprint counts them; on a shared
 * platform they name it (`live-<phase>-<prefix>-...`, what the plan lists: `probeTenantApiWrites`), elsewhere a
 * random part makes them unique. It is removed again,
 * usage rows and revoked keys included, before any check reads the tenant data. Each record is noted before
 * the call that creates it: a call that timed out may still have created it (a record never made is a 404 on
 * removal, which counts as removed).
 */
export class ProbeTenant {
  readonly records: SeededRecords = {
    organizations: [],
    projects: [],
    groups: [],
    users: [],
    keys: [],
    providers: [],
    routes: [],
    budgets: [],
    guardrails: [],
  };
  readonly id: string;
  readonly model: string;

  constructor(
    private readonly api: ConfigApi,
    phase: string,
    prefix?: string,
  ) {
    this.id = probeTenantBase(phase, prefix);
    this.model = `${this.id}-model`;
  }

  get projectId(): string {
    return `${this.id}-project`;
  }

  /** Organization, project and group, and the route (to `upstreamModel` of `providerId`). */
  async create(providerId: string, upstreamModel: string): Promise<void> {
    const org = { id: `${this.id}-org`, name: 'upcert config-live' };
    this.records.organizations.push(org);
    await this.post('/api/v1/organizations', org);
    const project = { id: this.projectId, organizationId: org.id, name: 'config-live' };
    this.records.projects.push(project);
    await this.post('/api/v1/projects', project);
    const group = { id: `${this.id}-group`, projectId: project.id, name: 'config-live' };
    this.records.groups.push(group);
    await this.post('/api/v1/groups', group);
    const route = { id: `${this.id}-route`, model: this.model, providerId, upstreamModel };
    this.records.routes.push(route);
    await this.post('/api/v1/routes', route);
  }

  /** A consumer with a key and a user budget of `limitMicroUsd`: the key. */
  async addConsumer(name: string, limitMicroUsd: number): Promise<{ userId: string; keyId: string; key: string }> {
    const [org, project, group] = [this.records.organizations[0]!, this.records.projects[0]!, this.records.groups[0]!];
    const user = { id: `${this.id}-${name}`, groupId: group.id, name, email: `${name}@config-live.invalid` };
    this.records.users.push({ ...user, consumer: `${org.id}.${project.id}.${user.id}` });
    await this.post('/api/v1/users', user);
    const budget = { id: `${user.id}-budget`, level: 'user' as const, scopeId: user.id, limitMicroUsd };
    this.records.budgets.push(budget);
    await this.post('/api/v1/budgets', budget);
    const key = await this.api.call<{ id: string; key: string }>('POST', `/api/v1/users/${user.id}/keys`, { name });
    redact(key.key);
    this.records.keys.push({ id: key.id, userId: user.id, name });
    return { userId: user.id, keyId: key.id, key: key.key };
  }

  async addGuardrail(word: string): Promise<void> {
    const rule = {
      id: `${this.id}-${word}`,
      projectId: this.projectId,
      kind: 'regex' as const,
      pattern: word,
      action: 'block' as const,
    };
    this.records.guardrails.push(rule);
    await this.post('/api/v1/guardrails', rule);
  }

  /**
   * POST of a client-named record, tried up to three times when no answer came (an overloaded control plane
   * mid-rollout): a 409 on a retry means the unanswered call did create it.
   */
  private async post(path: string, body: { id: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.api.call('POST', path, body);
        return;
      } catch (error) {
        const status = error instanceof ConfigApiError ? error.status : 0;
        if (status === 409 && attempt > 1) return;
        if (status !== undefined || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Removes everything it created (usage and revoked keys through the database), and the guardrails the
   * platform attached to its project on its own (a control plane that resets guardrails to a default set at
   * start-up gives every project one): left behind, they would keep the project and the organization, and a
   * preservation check would count upcert's own leftovers against the release.
   */
  async remove(db: Queryable, apiOptions: ConfigApiOptions): Promise<void> {
    const listed = await this.api.call<unknown>('GET', '/api/v1/guardrails').catch(() => []);
    const rows = (Array.isArray(listed) ? listed : []) as { id?: unknown; projectId?: unknown }[];
    const known = new Set(this.records.guardrails.map((g) => g.id));
    for (const row of rows) {
      if (row.projectId !== this.projectId || typeof row.id !== 'string' || known.has(row.id)) continue;
      this.records.guardrails.push({
        id: row.id,
        projectId: this.projectId,
        kind: 'regex',
        pattern: '(attached by the platform)',
        action: 'block',
      });
    }
    await deleteTenants({
      api: apiOptions,
      seeded: { version: '', prefix: undefined, records: this.records, keys: {}, load: [], prices: {}, history: [] },
      db,
    });
  }
}
