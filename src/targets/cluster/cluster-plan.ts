import { parseManifests } from '../../chart-check/manifests.ts';
import { platformUrl } from '../../common/addresses.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { probeTenantApiWrites, probeTenantBase, seedApiWrites } from '../../seed/api-writes.ts';
import { loadTenantFixture } from '../../seed/load-fixture.ts';
import { planTenants } from '../../seed/seed.ts';
import type { TenantSet } from '../../seed/select.ts';
import { type ApplyOptions, type ConflictPolicy, type Helm, helmApplyArgs, helmRollbackArgs } from '../kube/helm.ts';
import { deployedRevision } from '../kube/history.ts';
import { configKey, configMapOf } from '../kube/live-edit.ts';
import type { KubeObject } from '../kube/managed-fields.ts';
import type { ClusterPlan } from './plan.ts';
import { buildPlan } from './plan-builder.ts';

export interface ClusterRunShape {
  context: string;
  from: LoadedRelease;
  to: LoadedRelease;
  conflictPolicy: ConflictPolicy;
  allowDestructive: boolean;
  tenantPrefix: string;
  handEdit: { component: string; path: string; value: unknown; deadlineSeconds: number };
  load: { gatewayUrl?: string; ratePerSec: number; capPerSec: number };
  providerUrl?: string;
  keepBackup: boolean;
  /** Schemas of the platform's database that the backup dumps (never the whole staging database). */
  schemas: string[];
  /** The platform's tenant adapter (`tenants.adapter` of its profile), when upcert does not speak its API. */
  tenantAdapter?: string;
}

/**
 * The tenants of a cluster run: their ids, and every configuration-API write of the run: seeding and removing
 * them, and config-live's own tenant in each phase with load (the rollback phase runs only with
 * --allow-destructive).
 */
export function tenantPlan(
  tenants: TenantSet,
  prefix: string,
  allowDestructive: boolean,
): Omit<ClusterPlan['tenants'], 'deletedAfter'> {
  const records = [
    ...tenants.organizations,
    ...tenants.projects,
    ...tenants.groups,
    ...tenants.users,
    ...tenants.providers,
    ...tenants.routes,
    ...tenants.budgets,
    ...tenants.guardrails,
  ];
  const phases = ['upgrade', ...(allowDestructive ? ['rollback'] : [])];
  return {
    prefix,
    ids: records.map((r) => r.id),
    api: [
      ...seedApiWrites(tenants),
      ...phases.flatMap((phase) => probeTenantApiWrites(probeTenantBase(phase, prefix))),
    ],
    consumers: tenants.users.length,
  };
}

/**
 * The plan of a run on an existing cluster, from reads only: `helm history` (the deployed revision),
 * `helm template` of N and N+1 with the run's values (what the upgrade and a rollback apply), the tenant
 * fixture under the run prefix. The run is then held to it (`plannedRunner`).
 */
export async function planClusterRun(
  shape: ClusterRunShape,
  helm: Helm,
  prepare: (r: LoadedRelease) => Promise<ApplyOptions>,
): Promise<ClusterPlan> {
  const revision = deployedRevision(await helm.history());
  if (revision === undefined) {
    throw new StepFailedError(
      `plan: release ${helm.release.name} has no deployed revision in ${helm.release.namespace}`,
    );
  }
  const [fromOpts, toOpts] = [await prepare(shape.from), await prepare(shape.to)];
  const providerMockUrl = platformUrl(
    shape.providerUrl ?? `http://provider-mock.${helm.release.namespace}.svc.cluster.local`,
  );
  const tenants = planTenants(await loadTenantFixture(), {
    version: shape.from.version,
    prefix: shape.tenantPrefix,
    providerMockUrl,
  });
  return buildPlan({
    context: shape.context,
    namespace: helm.release.namespace,
    release: helm.release.name,
    from: shape.from.name,
    to: shape.to.name,
    renderedFrom: parseManifests<KubeObject>(await helm.template(fromOpts)),
    renderedTo: parseManifests<KubeObject>(await helm.template(toOpts)),
    currentRevision: revision,
    upgradeArgs: helmApplyArgs('upgrade', helm.release, toOpts),
    rollbackArgs: helmRollbackArgs(helm.release, revision, toOpts.timeoutSeconds, false),
    conflictPolicy: shape.conflictPolicy,
    allowDestructive: shape.allowDestructive,
    handEdit: {
      configMap: configMapOf(shape.handEdit.component),
      key: configKey,
      path: shape.handEdit.path,
      value: shape.handEdit.value,
      deadlineSeconds: shape.handEdit.deadlineSeconds,
    },
    tenants: shape.tenantAdapter
      ? { prefix: shape.tenantPrefix, ids: [], api: [], consumers: 0, adapter: shape.tenantAdapter }
      : tenantPlan(tenants, shape.tenantPrefix, shape.allowDestructive),
    load: shape.load,
    providers: shape.providerUrl
      ? { url: shape.providerUrl, source: 'flag' }
      : { url: providerMockUrl, source: 'chart provider-mock' },
    backup: { schemas: shape.schemas, kept: shape.keepBackup },
    services: [
      'gateway',
      'control-plane',
      'console',
      'identity',
      ...(shape.providerUrl ? [] : ['provider-mock']),
      'postgresql',
    ],
  });
}
