/**
 * Where a consumer sits: organization → project → group → user. A consumer is `org.project.user`, and a
 * budget holds a consumer when its level and scope id name one of these four.
 */
export interface ScopeRecords {
  projects: readonly { id: string; organizationId: string }[];
  groups: readonly { id: string; projectId: string }[];
  users: readonly { id: string; groupId: string }[];
}

export interface ConsumerScope {
  organizationId: string;
  projectId: string;
  groupId: string;
  userId: string;
  /** `<organizationId>.<projectId>.<userId>` */
  consumer: string;
}

/** The scope of a user, or undefined when a reference along the way is dangling. */
export function scopeOf(records: ScopeRecords, userId: string): ConsumerScope | undefined {
  const user = records.users.find((u) => u.id === userId);
  const group = user && records.groups.find((g) => g.id === user.groupId);
  const project = group && records.projects.find((p) => p.id === group.projectId);
  if (!user || !group || !project) return undefined;
  return {
    organizationId: project.organizationId,
    projectId: project.id,
    groupId: group.id,
    userId: user.id,
    consumer: `${project.organizationId}.${project.id}.${user.id}`,
  };
}

/** True when a budget at `level` on `scopeId` holds the consumer. */
export function budgetHolds(budget: { level: string; scopeId: string }, scope: ConsumerScope): boolean {
  switch (budget.level) {
    case 'organization':
      return budget.scopeId === scope.organizationId;
    case 'project':
      return budget.scopeId === scope.projectId;
    case 'group':
      return budget.scopeId === scope.groupId;
    case 'user':
      return budget.scopeId === scope.userId;
    default:
      return false;
  }
}
