/**
 * The run prefix of the non-destructive cluster target: every id (and every reference to it) becomes
 * `<prefix>-<id>`, and so does every logical model, so that a run's records never collide with the
 * tenants already on the cluster and can be deleted afterwards.
 */
import type { TenantSet } from './select.ts';

const slug = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function withPrefix(set: TenantSet, prefix: string | undefined): TenantSet {
  if (!prefix) return set;
  if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(prefix)) {
    throw new Error(`apply run prefix: ${JSON.stringify(prefix)} is not a short slug (a-z, 0-9, -; at most 20)`);
  }
  const p = (id: string) => {
    const out = `${prefix}-${id}`;
    if (!slug.test(out)) throw new Error(`apply run prefix: ${out} is longer than 63 characters`);
    return out;
  };
  return {
    version: set.version,
    organizations: set.organizations.map((o) => ({ ...o, id: p(o.id) })),
    projects: set.projects.map((r) => ({ ...r, id: p(r.id), organizationId: p(r.organizationId) })),
    groups: set.groups.map((g) => ({ ...g, id: p(g.id), projectId: p(g.projectId) })),
    users: set.users.map((u) => ({
      ...u,
      id: p(u.id),
      groupId: p(u.groupId),
      history: u.history.map((h) => ({ ...h, model: p(h.model) })),
      load: { ...u.load, model: p(u.load.model) },
    })),
    providers: set.providers.map((r) => ({ ...r, id: p(r.id) })),
    routes: set.routes.map((r) => ({ ...r, id: p(r.id), model: p(r.model), providerId: p(r.providerId) })),
    budgets: set.budgets.map((b) => ({ ...b, id: p(b.id), scopeId: p(b.scopeId) })),
    guardrails: set.guardrails.map((g) => ({ ...g, id: p(g.id), projectId: p(g.projectId) })),
  };
}
