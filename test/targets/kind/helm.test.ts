import { describe, expect, test } from 'vitest';
import { helmApplyArgs, helmRollbackArgs } from '../../../src/targets/kube/helm.ts';
import { rollbackRevision } from '../../../src/targets/kube/history.ts';

const rel = { name: 'upcert-platform', namespace: 'upcert-platform', context: 'kind-upcert' };

describe('helm command lines', () => {
  test('upgrade: layered values in order, server-side apply, chart wins, waits with a deadline', () => {
    const args = helmApplyArgs('upgrade', rel, {
      chart: 'c.tgz',
      valuesFiles: ['values.yaml', 'secrets-values.yaml'],
      timeoutSeconds: 300,
      forceConflicts: true,
    });
    expect(args.join(' ')).toBe(
      'upgrade upcert-platform c.tgz --namespace upcert-platform --kube-context kind-upcert -f values.yaml -f secrets-values.yaml --server-side=true --force-conflicts --wait=watcher --timeout 300s',
    );
  });

  test('install creates the namespace; an upgrade does not', () => {
    expect(helmApplyArgs('install', rel, { chart: 'c', valuesFiles: [], timeoutSeconds: 1 })).toContain(
      '--create-namespace',
    );
    expect(helmApplyArgs('upgrade', rel, { chart: 'c', valuesFiles: [], timeoutSeconds: 1 })).not.toContain(
      '--create-namespace',
    );
  });

  test('rollback to a revision', () => {
    expect(helmRollbackArgs(rel, 3, 120, true).slice(0, 3)).toEqual(['rollback', 'upcert-platform', '3']);
  });
});

describe('which revision a rollback returns to', () => {
  const history = [
    {
      revision: 1,
      status: 'superseded',
      chart: 'upcert-platform-1.7.0',
      app_version: '1.7.0',
      description: 'Install complete',
    },
    {
      revision: 2,
      status: 'superseded',
      chart: 'upcert-platform-1.8.0',
      app_version: '1.8.0',
      description: 'Upgrade complete',
    },
    {
      revision: 3,
      status: 'failed',
      chart: 'upcert-platform-1.7.0',
      app_version: '1.7.0',
      description: 'Rollback failed',
    },
    {
      revision: 4,
      status: 'deployed',
      chart: 'upcert-platform-1.8.0',
      app_version: '1.8.0',
      description: 'Upgrade complete',
    },
  ];
  test('the newest earlier revision of that chart version that did not fail', () => {
    expect(rollbackRevision(history, '1.7.0')).toBe(1);
    expect(rollbackRevision(history, '1.8.0')).toBe(2);
  });
  test('none: a failed step naming what history holds', () => {
    expect(() => rollbackRevision(history, '1.9.0')).toThrow(
      /no earlier revision of chart version 1\.9\.0 .*4:upcert-platform-1\.8\.0:deployed/,
    );
  });
});
