import { describe, expect, test } from 'vitest';
import type { CommandRunner } from '../../../src/common/command.ts';
import { CommandFailedError } from '../../../src/common/command.ts';
import { fieldManagerConflicts, Helm, helmApplyArgs, helmRollbackArgs } from '../../../src/targets/kube/helm.ts';
import { rollbackRevision } from '../../../src/targets/kube/history.ts';

const rel = { name: 'upcert-platform', namespace: 'upcert-platform', context: 'kind-upcert' };
// What helm 4 prints when a kubectl hand edit owns a field the chart sets (server-side apply).
const conflictOutput = `Error: UPGRADE FAILED: conflict occurred while applying object upcert-platform/gateway-config /v1, Kind=ConfigMap: Apply failed with 1 conflict: conflict with "upcert-hand-edit" using v1: .data.config.json`;

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

  test('install creates the namespace; a server dry run never waits', () => {
    expect(helmApplyArgs('install', rel, { chart: 'c', valuesFiles: [], timeoutSeconds: 1 })).toContain(
      '--create-namespace',
    );
    const dry = helmApplyArgs('upgrade', rel, { chart: 'c', valuesFiles: [], timeoutSeconds: 1, dryRun: true });
    expect(dry).toContain('--dry-run=server');
    expect(dry.some((a) => a.startsWith('--wait'))).toBe(false);
  });

  test('rollback to a revision', () => {
    expect(helmRollbackArgs(rel, 3, 120, true).slice(0, 3)).toEqual(['rollback', 'upcert-platform', '3']);
  });
});

describe('field-manager conflicts of server-side apply', () => {
  test('the manager and field are read from helm 4 output', () => {
    expect(fieldManagerConflicts(conflictOutput)).toEqual([
      { manager: 'upcert-hand-edit', field: '.data.config.json' },
    ]);
    expect(
      fieldManagerConflicts('Apply failed with 2 conflicts: conflicts with "kubectl-edit": .spec.replicas, .data.x'),
    ).toEqual([{ manager: 'kubectl-edit', field: '.spec.replicas' }]);
    expect(fieldManagerConflicts('Error: timed out waiting for the condition')).toEqual([]);
  });

  test('a dry run that meets a conflict reports it; one failing for another reason throws with the command and output', async () => {
    const replies: Record<string, { exitCode: number; stderr: string }> = {
      conflict: { exitCode: 1, stderr: conflictOutput },
      broken: { exitCode: 1, stderr: 'Error: INSTALLATION FAILED: chart requires kubeVersion: >= 1.31.0-0' },
    };
    let mode = 'conflict';
    const calls: string[][] = [];
    const run: CommandRunner = async (_f, args) => {
      calls.push([...args]);
      return { stdout: '', ...replies[mode]! };
    };
    const helm = new Helm(rel, run);
    const opts = { chart: 'c.tgz', valuesFiles: ['v.yaml'], timeoutSeconds: 60 };
    expect(await helm.upgradeConflicts(opts)).toEqual([{ manager: 'upcert-hand-edit', field: '.data.config.json' }]);
    expect(calls[0]).toContain('--dry-run=server');
    expect(calls[0]).not.toContain('--force-conflicts');
    mode = 'broken';
    const error = await helm.upgradeConflicts(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect((error as Error).message).toMatch(
      /`helm upgrade upcert-platform c\.tgz .*--dry-run=server` exited 1\nError: INSTALLATION FAILED: chart requires kubeVersion/,
    );
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
