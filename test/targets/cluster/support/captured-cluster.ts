/**
 * A MOCK of helm and kubectl against one namespace (no Kubernetes can run on these machines): it answers the
 * invocations a cluster run makes from captured objects (test/fixtures/cluster: `helm template` output of the
 * reference chart) and keeps the gateway ConfigMap's state, so that an edit, a revert and an upgrade change
 * what the next `kubectl get` returns. It proves nothing about Kubernetes; it records what upcert asked for.
 * `kubectl get ... --show-managed-fields` answers with the v1.7.0 objects and their managedFields: helm's, the
 * hand edit's (`upcert-hand-edit` on `.data.config.json` once patched) and, with `hpaOwnsReplicas`, the HPA's
 * (the shapes of test/fixtures/cluster/live-objects.yaml). A real `helm upgrade` that meets a conflict without
 * `--force-conflicts` fails with the API server's wording (`Apply failed with 1 conflict: conflict with "<manager>"
 * using <apiVersion>: <field>`, kubectl's and helm's relay of it, quoted in grafana/tanka#852).
 */
import { appendFileSync } from 'node:fs';
import type { CommandResult, CommandRunner } from '../../../../src/common/command.ts';
import { invocationOf } from '../../../../src/targets/cluster/planned-runner.ts';
import { resourceArg } from '../../../../src/targets/kube/kubectl.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../../../src/targets/kube/managed-fields.ts';
import { clusterFixture, renderedObjects, renderedText } from '../../../fixtures/cluster/load.ts';

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
    if (file === 'kubectl' && verb === 'get' && flags.includes('--show-managed-fields')) {
      const items = liveObjects({ config, handEdited, hpaOwnsReplicas: opts.hpaOwnsReplicas ?? false }).filter((o) =>
        args.includes(`${resourceArg(o.apiVersion, o.kind)}/${o.metadata.name}`),
      );
      return ok(items.length === 0 ? '' : JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items }));
    }
    if (file === 'helm' && verb === 'template') {
      const version = /upcert-platform-(\d+\.\d+\.\d+)\.tgz$/.exec(args[2] ?? '')?.[1];
      return ok(renderedText(`v${version}` as 'v1.7.0' | 'v1.8.0'));
    }
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

const live = clusterFixture<Record<string, KubeObject>>('live-objects.yaml');
const entry = (e: KubeObject, manager: string) => e.metadata.managedFields!.find((m) => m.manager === manager)!;
const helmOwns: ManagedFieldsEntry = { manager: 'helm', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: {} };

/** The installed release's objects as the API server would return them, with the managers of the run so far. */
function liveObjects(state: { config: string; handEdited: boolean; hpaOwnsReplicas: boolean }): KubeObject[] {
  return renderedObjects('v1.7.0').map((o) => {
    const managedFields = [helmOwns];
    const copy = structuredClone(o);
    if (o.kind === 'ConfigMap' && o.metadata.name === 'gateway-config') {
      copy.data = { 'config.json': state.config };
      if (state.handEdited) managedFields.push(entry(live.gatewayConfigHandEdited!, 'upcert-hand-edit'));
    }
    if (o.kind === 'Deployment' && o.metadata.name === 'gateway' && state.hpaOwnsReplicas) {
      (copy.spec as { replicas: number }).replicas = 5;
      managedFields.push(entry(live.gatewayDeploymentUnderHpa!, 'kube-controller-manager'));
    }
    return { ...copy, metadata: { ...copy.metadata, managedFields } };
  });
}
