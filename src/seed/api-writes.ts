/**
 * The configuration-API writes a run makes on a shared platform, known before it starts: what the cluster
 * target's plan lists (`upcert certify --target cluster --plan`) and what the run is held to (a write that is
 * not listed is refused before it is sent). Ids the client names are listed one by one; an id the API assigns
 * (an API key's) is `*` in the path, and an id with a part chosen at run time ends in `*`.
 */
import { randomBytes } from 'node:crypto';
import type { TenantSet } from './select.ts';

export type ApiWriteMethod = 'POST' | 'PATCH' | 'DELETE';

export interface PlannedApiWrite {
  method: ApiWriteMethod;
  /** `/api/v1/organizations`, `/api/v1/keys/*`; `*` is one path segment the API assigns. */
  path: string;
  /** The record a POST to a collection creates (the body's `id`); may end in `*`. */
  id?: string;
  /** `seed` (before the upgrade), `config-live` (during a phase), `on-cleanup` (at the end, also after Ctrl-C). */
  when: 'seed' | 'config-live' | 'on-cleanup';
  why: string;
  /**
   * The `*` of the path matches only an id the run learned from an answer (`ApiWriteGuard.learn`): an API key
   * the run created (`key`), a guardrail the platform attached to a project of the run (`guardrail`).
   */
  learned?: 'key' | 'guardrail';
}

const api = '/api/v1';

/** The collections of the configuration API, in the order the seed creates them. */
const collections = [
  ['organizations', 'organization'],
  ['projects', 'project'],
  ['groups', 'group'],
  ['users', 'user'],
  ['providers', 'provider'],
  ['routes', 'route'],
  ['budgets', 'budget'],
  ['guardrails', 'guardrail'],
] as const;

type Records = { [K in (typeof collections)[number][0]]: readonly { id: string }[] };

function createsAndRemoves(records: Records, when: 'seed' | 'config-live', owner: string): PlannedApiWrite[] {
  const creates: PlannedApiWrite[] = [];
  const removes: PlannedApiWrite[] = [];
  for (const [collection, kind] of collections) {
    for (const { id } of records[collection]) {
      creates.push({ method: 'POST', path: `${api}/${collection}`, id, when, why: `create ${owner} ${kind} ${id}` });
      removes.push({
        method: 'DELETE',
        path: `${api}/${collection}/${id}`,
        when: 'on-cleanup',
        why: `remove ${owner} ${kind} ${id}`,
      });
    }
  }
  for (const { id } of records.users) {
    creates.push({ method: 'POST', path: `${api}/users/${id}/keys`, when, why: `an API key for ${owner} user ${id}` });
  }
  removes.push({
    method: 'DELETE',
    path: `${api}/keys/*`,
    when: 'on-cleanup',
    why: `revoke ${owner} API keys (ids the API gave the run)`,
    learned: 'key',
  });
  return [...creates, ...removes];
}

/** What seeding `set` writes, and what removing it at the end writes (`src/seed/seed.ts`, `delete.ts`). */
export function seedApiWrites(set: TenantSet): PlannedApiWrite[] {
  return createsAndRemoves(set, 'seed', 'seeded');
}

/**
 * The start of every id of config-live's tenant in `phase`: on a shared platform it names the run prefix (known
 * to the plan; not at the start, so no tenant fingerprint counts it), elsewhere a random part.
 */
export function probeTenantBase(phase: string, prefix: string | undefined): string {
  return `live-${phase}-${prefix ?? randomBytes(3).toString('hex')}`;
}

/**
 * config-live's tenant of its own in one phase (`src/checks/config-live/probe-tenant.ts`: ids start with `base`):
 * created, changed mid-rollout and after it, removed. A guardrail the platform attaches to its project on its own
 * is removed too (its id is the platform's).
 */
export function probeTenantApiWrites(base: string): PlannedApiWrite[] {
  const users = [`${base}-first`, `${base}-second`];
  const records: Records = {
    organizations: [{ id: `${base}-org` }],
    projects: [{ id: `${base}-project` }],
    groups: [{ id: `${base}-group` }],
    users: users.map((id) => ({ id })),
    providers: [],
    routes: [{ id: `${base}-route` }],
    budgets: users.map((id) => ({ id: `${id}-budget` })),
    guardrails: [{ id: `${base}-mid*` }],
  };
  const why = 'config-live';
  return [
    ...createsAndRemoves(records, 'config-live', why),
    { method: 'PATCH', path: `${api}/routes/${base}-route`, when: 'config-live', why: `${why}: move its route` },
    {
      method: 'PATCH',
      path: `${api}/budgets/${base}-second-budget`,
      when: 'config-live',
      why: `${why}: tighten a budget`,
    },
    { method: 'DELETE', path: `${api}/keys/*`, when: 'config-live', why: `${why}: revoke its key`, learned: 'key' },
    {
      method: 'DELETE',
      path: `${api}/guardrails/*`,
      when: 'on-cleanup',
      why: `${why}: a guardrail the platform attached to project ${base}-project`,
      learned: 'guardrail',
    },
  ];
}

const segmentMatches = (planned: string, actual: string) =>
  planned === '*' || planned === actual || (planned.endsWith('*') && actual.startsWith(planned.slice(0, -1)));

function pathMatches(planned: string, actual: string): boolean {
  const [p, a] = [planned.split('/'), actual.split('?')[0]!.split('/').map(decodeURIComponent)];
  return p.length === a.length && p.every((s, i) => segmentMatches(s, a[i]!));
}

/** The planned write a call is, or undefined (a GET is a read: never a write). */
export function plannedApiWrite(
  planned: readonly PlannedApiWrite[],
  method: string,
  path: string,
  body?: unknown,
): PlannedApiWrite | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  return planned.find(
    (w) =>
      w.method === method.toUpperCase() &&
      pathMatches(w.path, path) &&
      (w.id === undefined || (typeof id === 'string' && segmentMatches(w.id, id))),
  );
}

/** Whether a call writes (anything but GET, HEAD and OPTIONS). */
export function isApiWrite(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

const decoded = (path: string) => path.split('?')[0]!.split('/').map(decodeURIComponent).join('/');

/**
 * Holds a run's configuration-API client to its plan (one guard per run, shared by every client the run makes,
 * so that an id learned while seeding still counts at cleanup, also after Ctrl-C). A write is allowed when the
 * plan lists it; where its id is one the API or the platform assigns, only for ids the run learned from an
 * answer: a key the API gave it for one of its users, a guardrail the platform attached to one of its projects.
 */
export class ApiWriteGuard {
  readonly #learned = new Set<string>();
  readonly #projects: Set<string>;
  readonly #users: Set<string>;

  constructor(readonly planned: readonly PlannedApiWrite[]) {
    const created = (collection: string) =>
      new Set(
        planned.filter((w) => w.method === 'POST' && w.path === `${api}/${collection}` && w.id).map((w) => w.id!),
      );
    this.#projects = created('projects');
    this.#users = created('users');
  }

  allows(method: string, path: string, body?: unknown): boolean {
    if (!isApiWrite(method)) return true;
    const w = plannedApiWrite(this.planned, method, path, body);
    if (!w) return false;
    return w.learned === undefined || this.#learned.has(`${w.learned} ${decoded(path)}`);
  }

  /** What an answer teaches: the key the API created for a user of the run; guardrails on a project of the run. */
  learn(method: string, path: string, answer: unknown): void {
    const segments = decoded(path).split('/');
    if (method.toUpperCase() === 'POST' && segments.length === 6 && segments[3] === 'users' && segments[5] === 'keys') {
      const id = (answer as { id?: unknown } | undefined)?.id;
      if (this.#users.has(segments[4]!) && typeof id === 'string') this.#learned.add(`key ${api}/keys/${id}`);
    }
    if (method.toUpperCase() === 'GET' && decoded(path) === `${api}/guardrails` && Array.isArray(answer)) {
      for (const row of answer as { id?: unknown; projectId?: unknown }[]) {
        if (typeof row.id === 'string' && typeof row.projectId === 'string' && this.#projects.has(row.projectId))
          this.#learned.add(`guardrail ${api}/guardrails/${row.id}`);
      }
    }
  }
}
