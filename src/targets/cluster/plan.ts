import type { PlannedApiWrite } from '../../seed/api-writes.ts';
import type { ConflictPolicy } from '../kube/helm.ts';
import type { Permission } from './permissions.ts';

/** When a planned write happens: always, only if the run stops before the upgrade, or only with a flag. */
export type WriteWhen = 'always' | 'if-stopped-before-upgrade' | 'allow-destructive' | 'on-cleanup';

/**
 * One write to the cluster (or to the platform's configuration API) that a run may make. `match` is what the
 * guard compares an invocation with: the tool, its verb and the object or release it names.
 */
export interface PlannedWrite {
  id: string;
  /** `helm upgrade`, `kubectl patch`, `POST /api/...`. */
  action: string;
  kind: string;
  namespace: string;
  name: string;
  fieldManager: string;
  when: WriteWhen;
  why: string;
  match: { tool: 'helm' | 'kubectl' | 'api'; verb: string; target: string; flags?: readonly string[] };
}

export interface PlannedHelmOperation {
  verb: 'upgrade' | 'rollback';
  /** The command line as it will run (values files are the run's temp files: `<work>/...`). */
  command: string;
  when: WriteWhen;
  /** What the operation writes: every object of the chart it applies, created, patched or deleted. */
  objects: { verb: 'create' | 'patch' | 'delete'; kind: string; name: string }[];
}

/** What `upcert certify --target cluster --plan` prints and what the run is held to. */
export interface ClusterPlan {
  context: string;
  namespace: string;
  release: string;
  from: string;
  to: string;
  conflictPolicy: ConflictPolicy;
  writes: PlannedWrite[];
  helm: PlannedHelmOperation[];
  /**
   * The run's tenants: their ids, every configuration-API write the run makes (seed, config-live, removal;
   * any other write is refused), and the number of consumers whose usage rows the run writes and removes.
   */
  tenants: {
    prefix: string;
    ids: string[];
    api: PlannedApiWrite[];
    consumers: number;
    /** A platform whose tenants its own adapter seeds and removes: those writes are the adapter's, not listed. */
    adapter?: string;
    deletedAfter: true;
  };
  handEdit: {
    configMap: string;
    key: string;
    path: string;
    value: unknown;
    fieldManager: string;
    deadlineSeconds: number;
  };
  load: { via: 'gateway-url' | 'port-forward'; url?: string; ratePerSec: number; capPerSec: number };
  tunnels: string[];
  backup: { schemas: string[]; restoreInto: 'scratch database'; kept: boolean };
  providers: { url: string; source: 'flag' | 'chart provider-mock' };
  permissions: Permission[];
  /** What leaves the cluster: none unless a flag asks. */
  dataLeaving: string[];
}

/** The writes a run may make, as the guard sees them. */
export function plannedWrites(plan: ClusterPlan): readonly PlannedWrite[] {
  return plan.writes;
}
