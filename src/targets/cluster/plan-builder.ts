import { commandLine } from '../../common/command.ts';
import type { PlannedApiWrite } from '../../seed/api-writes.ts';
import { helmFieldManager } from '../kube/apply-conflicts.ts';
import type { ConflictPolicy } from '../kube/helm.ts';
import { handEditFieldManager } from '../kube/kubectl.ts';
import type { KubeObject } from '../kube/managed-fields.ts';
import { neededPermissions } from './permissions.ts';
import type { ClusterPlan, PlannedHelmOperation, PlannedWrite } from './plan.ts';

export interface PlanInputs {
  context: string;
  namespace: string;
  release: string;
  from: string;
  to: string;
  /** `helm template` of N and N+1 with the run's values (what is installed, what the upgrade applies). */
  renderedFrom: readonly KubeObject[];
  renderedTo: readonly KubeObject[];
  /** Revision `helm history` shows as deployed now. */
  currentRevision: number;
  upgradeArgs: readonly string[];
  rollbackArgs: readonly string[];
  conflictPolicy: ConflictPolicy;
  allowDestructive: boolean;
  handEdit: { configMap: string; key: string; path: string; value: unknown; deadlineSeconds: number };
  tenants: { prefix: string; ids: string[]; api: PlannedApiWrite[]; consumers: number; adapter?: string };
  load: { gatewayUrl?: string; ratePerSec: number; capPerSec: number };
  providers: { url: string; source: 'flag' | 'chart provider-mock' };
  backup: { schemas: string[]; kept: boolean };
  services: readonly string[];
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

/** What one helm operation does to the chart's objects, going from `before` to `after`. */
export function chartChanges(
  before: readonly KubeObject[],
  after: readonly KubeObject[],
): PlannedHelmOperation['objects'] {
  const had = new Set(before.map(key));
  const will = new Set(after.map(key));
  return [
    ...after.map((o) => ({
      verb: had.has(key(o)) ? ('patch' as const) : ('create' as const),
      kind: o.kind,
      name: o.metadata.name,
    })),
    ...before
      .filter((o) => !will.has(key(o)))
      .map((o) => ({ verb: 'delete' as const, kind: o.kind, name: o.metadata.name })),
  ];
}

function helmWrites(i: PlanInputs, verb: 'upgrade' | 'rollback', when: PlannedWrite['when']): PlannedWrite[] {
  const base = { namespace: i.namespace, fieldManager: helmFieldManager, when };
  const revision = i.currentRevision + 1;
  const out: PlannedWrite[] = [
    {
      ...base,
      id: `helm-${verb}`,
      action: `helm ${verb} --server-side=true`,
      kind: 'HelmRelease',
      name: i.release,
      why: verb === 'upgrade' ? `upgrade ${i.from} → ${i.to}` : `roll back to ${i.from} (--allow-destructive)`,
      match: { tool: 'helm', verb, target: i.release, flags: ['--server-side=true'] },
    },
    {
      ...base,
      id: `helm-${verb}-record`,
      action: 'create (helm storage)',
      kind: 'Secret',
      name: `sh.helm.release.v1.${i.release}.v${verb === 'upgrade' ? revision : revision + 1}`,
      why: 'the release record helm keeps (owner=helm); the previous one is updated to superseded',
      match: { tool: 'helm', verb, target: i.release, flags: ['--server-side=true'] },
    },
  ];
  if (i.conflictPolicy === 'force' || verb === 'upgrade') {
    out.push({
      ...base,
      id: `helm-${verb}-force-own`,
      action: `helm ${verb} --server-side=true --force-conflicts`,
      kind: 'ConfigMap',
      name: i.handEdit.configMap,
      why:
        i.conflictPolicy === 'force'
          ? 'conflictPolicy force: every field-manager conflict is overridden and recorded'
          : `only when every conflict is on a field ${handEditFieldManager} owns (the run's own hand edit)`,
      match: { tool: 'helm', verb, target: i.release, flags: ['--server-side=true', '--force-conflicts'] },
    });
  }
  return out;
}

/** The plan of a cluster run: every write, the tenants, the hand edit, helm operations, RBAC, data leaving. */
export function buildPlan(i: PlanInputs): ClusterPlan {
  const cm = {
    namespace: i.namespace,
    kind: 'ConfigMap',
    name: i.handEdit.configMap,
    fieldManager: handEditFieldManager,
  };
  const patch = {
    tool: 'kubectl' as const,
    verb: 'patch',
    target: `configmap/${i.handEdit.configMap}`,
    flags: ['--field-manager'],
  };
  const writes: PlannedWrite[] = [
    {
      ...cm,
      id: 'hand-edit',
      action: 'kubectl patch --type merge',
      when: 'always',
      why: `hand edit ${i.handEdit.path}`,
      match: patch,
    },
    {
      ...cm,
      id: 'hand-edit-revert',
      action: 'kubectl patch --type merge',
      when: 'if-stopped-before-upgrade',
      why: 'put the chart value back when the run stops before the upgrade resets it',
      match: patch,
    },
    ...helmWrites(i, 'upgrade', 'always'),
    ...(i.allowDestructive ? helmWrites(i, 'rollback', 'allow-destructive') : []),
  ];
  const upgrade = chartChanges(i.renderedFrom, i.renderedTo);
  const rollback = chartChanges(i.renderedTo, i.renderedFrom);
  const helm: PlannedHelmOperation[] = [
    { verb: 'upgrade', command: commandLine('helm', i.upgradeArgs), when: 'always', objects: upgrade },
    ...(i.allowDestructive
      ? [
          {
            verb: 'rollback' as const,
            command: commandLine('helm', i.rollbackArgs),
            when: 'allow-destructive' as const,
            objects: rollback,
          },
        ]
      : []),
  ];
  const kinds = [...i.renderedFrom, ...i.renderedTo].map((o) => o.kind);
  const all = [...upgrade, ...(i.allowDestructive ? rollback : [])];
  const viaForward = i.load.gatewayUrl === undefined;
  return {
    context: i.context,
    namespace: i.namespace,
    release: i.release,
    from: i.from,
    to: i.to,
    conflictPolicy: i.conflictPolicy,
    writes,
    helm,
    tenants: { ...i.tenants, deletedAfter: true },
    handEdit: { ...i.handEdit, fieldManager: handEditFieldManager },
    load: {
      via: viaForward ? 'port-forward' : 'gateway-url',
      ...(i.load.gatewayUrl ? { url: i.load.gatewayUrl } : {}),
      ratePerSec: Math.min(i.load.ratePerSec, i.load.capPerSec),
      capPerSec: i.load.capPerSec,
    },
    tunnels: i.services.filter((s) => s !== 'gateway' || viaForward),
    backup: { schemas: i.backup.schemas, restoreInto: 'scratch database', kept: i.backup.kept },
    providers: i.providers,
    permissions: neededPermissions({
      chartKinds: kinds,
      creates: all.some((o) => o.verb === 'create'),
      deletes: all.some((o) => o.verb === 'delete'),
      allowDestructive: i.allowDestructive,
      portForward: true,
    }),
    dataLeaving: i.backup.kept
      ? [`pg_dump of schemas ${i.backup.schemas.join(', ')} kept in the report (--keep-backup)`]
      : [],
  };
}
