import type { ConflictPolicy } from './helm.ts';

/** A field another manager owns that an apply would change (found from managedFields: upgrade-conflicts.ts). */
export interface ConflictLike {
  kind?: string;
  name?: string;
  manager: string;
  operation?: string;
  subresource?: string;
  field: string;
  live?: unknown;
  intended?: unknown;
  /** upcert's own manager owns it (the hand edit): the only kind of field upcert forces on a shared cluster. */
  ours: boolean;
}

/** What to do about an apply's conflicts under a policy: force, or refuse naming every foreign manager. */
export interface ConflictDecision {
  force: boolean;
  /** Set when the apply must not run: the conflicts with managers other than upcert's. */
  refused?: string;
}

/**
 * `fail` (the cluster target): upcert forces only fields its own manager owns; a field owned by an HPA, a GitOps
 * controller or an operator is reported with its manager and the apply refused. `force` (kind, upcert's own
 * cluster): every conflict is overridden and recorded.
 */
export function decideConflicts(conflicts: readonly ConflictLike[], policy: ConflictPolicy): ConflictDecision {
  if (conflicts.length === 0) return { force: false };
  const foreign = conflicts.filter((c) => !c.ours);
  if (foreign.length === 0 || policy === 'force') return { force: true };
  const list = foreign
    .map((c) => `${c.kind ? `${c.kind}/${c.name} ` : ''}${c.field} is owned by ${describeManager(c)}`)
    .join('; ');
  return {
    force: false,
    refused: `field-manager conflicts with other managers (${list}); conflictPolicy is fail: upcert overrides only fields its own manager owns`,
  };
}

function describeManager(c: ConflictLike): string {
  const how = c.subresource ? `${c.operation ?? 'Update'} via /${c.subresource}` : (c.operation ?? 'owner');
  // a Secret's values never go into a message (it ends in logs and reports); long values are cut
  if (c.kind === 'Secret') return `"${c.manager}" (${how}; values of a Secret not shown)`;
  return `"${c.manager}" (${how}; live ${shown(c.live)}, chart ${shown(c.intended)})`;
}

const shownChars = 80;

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length <= shownChars ? text : `${text.slice(0, shownChars)}… (${text.length} chars)`;
}
