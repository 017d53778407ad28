/**
 * A cluster-target platform wired to a command runner (the captured cluster MOCK, behind the plan guard), and
 * the plan of the same run: what the plan tests and the Ctrl-C child share. No informers, no tunnels: the
 * watcher and database are inert stand-ins (the tests look only at helm/kubectl invocations).
 */
import { harnessUrl, platformUrl } from '../../../../src/common/addresses.ts';
import type { CommandRunner } from '../../../../src/common/command.ts';
import { createLogger } from '../../../../src/common/logger.ts';
import { TeardownStack } from '../../../../src/common/teardown-stack.ts';
import { loadRelease } from '../../../../src/release/catalog.ts';
import { probeTenantApiWrites, probeTenantBase } from '../../../../src/seed/api-writes.ts';
import { clusterLimits } from '../../../../src/targets/cluster/guards.ts';
import type { ClusterPlan } from '../../../../src/targets/cluster/plan.ts';
import { buildPlan } from '../../../../src/targets/cluster/plan-builder.ts';
import type { KubeDatabase } from '../../../../src/targets/kube/database.ts';
import {
  type ApplyOptions,
  type ConflictPolicy,
  Helm,
  helmApplyArgs,
  helmRollbackArgs,
} from '../../../../src/targets/kube/helm.ts';
import { KubePlatform } from '../../../../src/targets/kube/kube-platform.ts';
import { Kubectl } from '../../../../src/targets/kube/kubectl.ts';
import type { RolloutWatcher } from '../../../../src/targets/kube/rollout-watcher.ts';
import { renderedObjects } from '../../../fixtures/cluster/load.ts';

export const where = { name: 'upcert', namespace: 'upcert-platform', context: 'staging' };
const work = '/tmp/upcert-cluster-work';

export function prepared(release: string): ApplyOptions {
  return {
    chart: `${work}/upcert-platform-${release.slice(1)}.tgz`,
    valuesFiles: [`${work}/values-${release}.yaml`, `${work}/secrets-values.yaml`],
    timeoutSeconds: 600,
  };
}

export interface RunShape {
  allowDestructive?: boolean;
  controlPlaneUrl?: string;
  /** The platform's policy (the plan stays the cluster target's `fail`); default `fail`. */
  conflictPolicy?: ConflictPolicy;
}

export function planOf(shape: RunShape = {}): ClusterPlan {
  return buildPlan({
    context: where.context,
    namespace: where.namespace,
    release: where.name,
    from: 'v1.7.0',
    to: 'v1.8.0',
    renderedFrom: renderedObjects('v1.7.0'),
    renderedTo: renderedObjects('v1.8.0'),
    currentRevision: 1,
    upgradeArgs: helmApplyArgs('upgrade', where, prepared('v1.8.0')),
    rollbackArgs: helmRollbackArgs(where, 1, 600, false),
    conflictPolicy: 'fail',
    allowDestructive: shape.allowDestructive ?? false,
    handEdit: {
      configMap: 'gateway-config',
      key: 'config.json',
      path: 'gateway.responseTag',
      value: 'hand-edit-x',
      deadlineSeconds: 150,
    },
    tenants: {
      prefix: 'uc1a2b3c',
      ids: ['uc1a2b3c-acme'],
      api: probeTenantApiWrites(probeTenantBase('upgrade', 'uc1a2b3c')),
      consumers: 1,
    },
    load: { ratePerSec: 400, capPerSec: 50 },
    providers: { url: 'http://provider-mock:8080/v1', source: 'chart provider-mock' },
    backup: { schemas: ['public'], kept: false },
    services: ['gateway', 'control-plane', 'console', 'identity', 'postgresql'],
  });
}

export function clusterPlatform(run: CommandRunner, shape: RunShape = {}): KubePlatform {
  const log = createLogger('test:cluster');
  const stack = new TeardownStack(log);
  const url = harnessUrl(shape.controlPlaneUrl ?? 'http://127.0.0.1:9');
  return new KubePlatform({
    target: 'cluster',
    release: loadRelease('v1.7.0'),
    root: process.cwd(),
    helm: new Helm(where, run),
    kubectl: new Kubectl(where.namespace, where.context, run),
    watcher: { subscribe: () => () => {}, pods: () => [] } as unknown as RolloutWatcher,
    endpoints: { gateway: url, controlPlane: url, console: url, identity: url, providerMock: url },
    platformUrls: { providerMock: platformUrl('http://provider-mock.upcert-platform.svc.cluster.local') },
    secrets: { adminToken: 'test-admin-token-0123456789', adminPassword: 'test-password' },
    database: { close: async () => {}, query: async () => [] } as unknown as KubeDatabase,
    prepare: async (r) => prepared(r.name),
    imageAliases: async () => new Map(),
    conflictPolicy: shape.conflictPolicy ?? 'fail',
    limits: clusterLimits({
      allowDestructive: shape.allowDestructive ?? false,
      maxLoadRate: 50,
      tenantPrefix: 'uc1a2b3c',
    }),
    collect: async () => {},
    records: [],
    clock: () => 0,
    stack,
    log,
  });
}
