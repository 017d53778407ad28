import { stringify } from 'yaml';
import { type Permission, resourceName } from './permissions.ts';

/** One rule of a Role (rbac.authorization.k8s.io/v1 PolicyRule). */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The least Role that grants `permissions`: one rule per API group and verb set. */
export function roleRules(permissions: readonly Permission[]): PolicyRule[] {
  const byResource = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const p of permissions) {
    const key = `${p.group} ${resourceName(p)}`;
    const entry = byResource.get(key) ?? { group: p.group, resource: resourceName(p), verbs: new Set<string>() };
    entry.verbs.add(p.verb);
    byResource.set(key, entry);
  }
  const rules = new Map<string, PolicyRule>();
  for (const e of byResource.values()) {
    const verbs = [...e.verbs].sort();
    const key = `${e.group} ${verbs.join(',')}`;
    const rule = rules.get(key) ?? { apiGroups: [e.group], resources: [], verbs };
    rule.resources.push(e.resource);
    rules.set(key, rule);
  }
  return [...rules.values()]
    .map((r) => ({ ...r, resources: r.resources.sort() }))
    .sort((a, b) => `${a.apiGroups[0]} ${a.resources[0]}`.localeCompare(`${b.apiGroups[0]} ${b.resources[0]}`));
}

/** A Role and a RoleBinding for `subject` (a ServiceAccount `ns:name` or a user) in `namespace`. */
export function roleYaml(permissions: readonly Permission[], namespace: string, user = 'upcert'): string {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'upcert-certify', namespace },
    rules: roleRules(permissions),
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'upcert-certify', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'upcert-certify' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
  return `${stringify(role)}---\n${stringify(binding)}`;
}

/**
 * Whether a Role's rules allow one request, as the RBAC authorizer decides it: a rule matches when its
 * apiGroups, resources (`pods/portforward` for a subresource, `*` for all) and verbs (`*`) all match
 * (kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go `VerbMatches`, `APIGroupMatches`, `ResourceMatches`).
 */
export function rulesAllow(rules: readonly PolicyRule[], p: Permission): boolean {
  const resource = resourceName(p);
  return rules.some(
    (r) =>
      (r.apiGroups.includes('*') || r.apiGroups.includes(p.group)) &&
      (r.resources.includes('*') ||
        r.resources.includes(resource) ||
        (p.subresource !== undefined && r.resources.includes(`*/${p.subresource}`))) &&
      (r.verbs.includes('*') || r.verbs.includes(p.verb)),
  );
}
