import { fieldText, type KubeObject, notSet, ownedLeaves, sameValue, valueAt } from './managed-fields.ts';

/** Helm 4's field manager: `filepath.Base(os.Args[0])`, i.e. `helm` (helm/helm pkg/kube/client.go `getManagedFieldsManager`). */
export const helmFieldManager = 'helm';

/** A field another manager owns that an apply would change (what the API server refuses without `force`). */
export interface OwnershipConflict {
  kind: string;
  name: string;
  manager: string;
  operation: string;
  subresource?: string;
  field: string;
  live: unknown;
  intended: unknown;
  /** upcert's own manager owns it (the hand edit): the only kind of field upcert may force on a shared cluster. */
  ours: boolean;
}

/**
 * The conflicts an apply of `intended` by `applier` would meet on `live`: for every leaf another manager owns
 * that `intended` also sets, a different value is a conflict; an equal value is shared ownership (no conflict),
 * as the Server-Side Apply page says. `ours` marks upcert's own managers (`upcert-hand-edit`).
 */
export function applyConflicts(
  live: KubeObject,
  intended: Record<string, unknown>,
  opts: { applier?: string; ours: readonly string[] },
): OwnershipConflict[] {
  const applier = opts.applier ?? helmFieldManager;
  const found: OwnershipConflict[] = [];
  for (const entry of live.metadata.managedFields ?? []) {
    if (entry.manager === applier) continue;
    for (const path of ownedLeaves(entry.fieldsV1)) {
      const want = valueAt(intended, path);
      if (want === notSet) continue;
      const have = valueAt(live, path);
      if (have !== notSet && sameValue(have, want)) continue;
      found.push({
        kind: live.kind,
        name: live.metadata.name,
        manager: entry.manager,
        operation: entry.operation,
        ...(entry.subresource ? { subresource: entry.subresource } : {}),
        field: fieldText(path),
        live: have === notSet ? undefined : have,
        intended: want,
        ours: opts.ours.includes(entry.manager),
      });
    }
  }
  return found;
}
