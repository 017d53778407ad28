/**
 * A MOCK of helm and kubectl against one namespace (no Kubernetes can run on these machines): it answers the
 * invocations a cluster run makes from captured objects (test/fixtures/cluster: `helm template` output of the
 * reference chart) and keeps the gateway ConfigMap's state, so that an edit, a revert and an upgrade change
 * what the next `kubectl get` returns. It proves nothing about Kubernetes; it records what upcert asked for.
 * Conflicts follow Server-Side Apply's rule (a field another manager changed conflicts unless forced); their
 * wording is the API server's as helm relays it (see ownership.test.ts).
 */
import { appendFileSync } from 'node:fs';
import type { CommandResult, CommandRunner } from '../../../../src/common/command.ts';
import { invocationOf } from '../../../../src/targets/cluster/planned-runner.ts';
import { renderedObjects } from '../../../fixtures/cluster/load.ts';

export interface CapturedCluster {
  run: CommandRunner;
  configJson(): string;
  /** Every invocation, as `tool args...`. */
  calls: string[];
}

const ok = (stdout = ''): CommandResult => ({ stdout, stderr: '', exitCode: 0 });

export function capturedCluster(
  opts: { hpaOwnsReplicas?: boolean; upgradeFails?: boolean; logFile?: string } = {},
): CapturedCluster {
  const chartConfig = (v: 'v1.7.0' | 'v1.8.0') =>
    (
      renderedObjects(v).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'gateway-config')!.data as Record<
        string,
        string
      >
    )['config.json']!;
  let config = chartConfig('v1.7.0');
  let handEdited = false;
  let revision = 1;
  const calls: string[] = [];
  const run: CommandRunner = async (file, args) => {
    const line = `${file} ${args.join(' ')}`;
    calls.push(line);
    if (opts.logFile) appendFileSync(opts.logFile, `${JSON.stringify({ file, args })}\n`);
    const { verb, target, flags } = invocationOf(file, args);
    if (file === 'kubectl' && verb === 'get' && target === 'configmap/gateway-config') {
      return ok(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'gateway-config' },
          data: { 'config.json': config },
        }),
      );
    }
    if (file === 'kubectl' && verb === 'patch' && target === 'configmap/gateway-config') {
      const patch = JSON.parse(args[args.indexOf('-p') + 1]!) as { data: Record<string, string> };
      config = patch.data['config.json']!;
      handEdited = config !== chartConfig('v1.7.0');
      return ok('configmap/gateway-config patched');
    }
    if (file === 'helm' && verb === 'history') {
      return ok(
        JSON.stringify([
          {
            revision,
            status: 'deployed',
            chart: 'upcert-platform-1.7.0',
            app_version: '1.7.0',
            description: 'Install complete',
          },
        ]),
      );
    }
    if (file === 'helm' && verb === 'upgrade') {
      const conflicts = [
        ...(handEdited ? ['conflict with "upcert-hand-edit" using v1: .data.config.json'] : []),
        ...(opts.hpaOwnsReplicas ? ['conflict with "kube-controller-manager" using apps/v1: .spec.replicas'] : []),
      ];
      if (conflicts.length > 0 && !flags.includes('--force-conflicts')) {
        return {
          stdout: '',
          stderr: `Error: UPGRADE FAILED: Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join(', ')}`,
          exitCode: 1,
        };
      }
      if (flags.some((f) => f.startsWith('--dry-run'))) return ok('dry run: no changes');
      if (opts.upgradeFails)
        return {
          stdout: '',
          stderr: 'Error: UPGRADE FAILED: resource Deployment/upcert-platform/gateway not ready. status: InProgress',
          exitCode: 1,
        };
      config = chartConfig('v1.8.0');
      handEdited = false;
      revision++;
      return ok(`Release "${target}" has been upgraded. Happy Helming!`);
    }
    if (file === 'helm' && verb === 'rollback') {
      revision++;
      config = chartConfig('v1.7.0');
      return ok('Rollback was a success! Happy Helming!');
    }
    return { stdout: '', stderr: `captured-cluster: no answer for ${line}`, exitCode: 1 };
  };
  return { run, configJson: () => config, calls };
}
