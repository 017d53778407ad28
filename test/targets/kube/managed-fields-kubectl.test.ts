/**
 * The real kubectl and helm, against a FAKE API server (an HTTP server on loopback answering legacy discovery and
 * GETs of canned objects). This PROVES NOTHING ABOUT KUBERNETES (no apply, no managedFields bookkeeping): it shows
 * that the `kubectl get` upcert builds is one kubectl accepts (`<kind>.<version>.<group>/<name>`), that kubectl
 * keeps managedFields only with `--show-managed-fields`, skips NotFound objects with `--ignore-not-found`, and
 * prints the shapes `liveObjects` parses; and that the reference chart rendered by the real helm meets an HPA's
 * `spec.replicas` as a conflict. The live objects are test/fixtures/cluster/live-objects.yaml (sources named there).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandRunner, execaRunner } from '../../../src/common/command.ts';
import { Helm } from '../../../src/targets/kube/helm.ts';
import { Kubectl } from '../../../src/targets/kube/kubectl.ts';
import type { KubeObject } from '../../../src/targets/kube/managed-fields.ts';
import { upgradeConflicts } from '../../../src/targets/kube/upgrade-conflicts.ts';
import { clusterFixture } from '../../fixtures/cluster/load.ts';

const live = clusterFixture<Record<string, KubeObject>>('live-objects.yaml');
const ns = 'upcert-platform';
const kubectlVersion = await execaRunner('kubectl', ['version', '--client'], { timeoutMs: 20_000 }).catch(
  () => undefined,
);
const haveKubectl = kubectlVersion?.exitCode === 0;

/** Legacy discovery of the kinds the reference chart renders (APIVersions, APIGroupList, APIResourceList). */
const resources: Record<string, [plural: string, kind: string][]> = {
  v1: [
    ['configmaps', 'ConfigMap'],
    ['secrets', 'Secret'],
    ['services', 'Service'],
  ],
  'apps/v1': [
    ['deployments', 'Deployment'],
    ['statefulsets', 'StatefulSet'],
  ],
};
const objects = [live.gatewayConfigHandEdited!, live.gatewayDeploymentUnderHpa!];

function answer(url: string): [number, unknown] {
  if (url === '/api') return [200, { kind: 'APIVersions', versions: ['v1'] }];
  if (url === '/apis') {
    const gv = { groupVersion: 'apps/v1', version: 'v1' };
    return [
      200,
      { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [gv], preferredVersion: gv }] },
    ];
  }
  for (const [gv, list] of Object.entries(resources)) {
    const base = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
    if (url === base) {
      const rs = list.map(([name, kind]) => ({
        name,
        singularName: kind.toLowerCase(),
        namespaced: true,
        kind,
        verbs: ['get', 'list'],
      }));
      return [200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: rs }];
    }
    for (const [plural, kind] of list) {
      const prefix = `${base}/namespaces/${ns}/${plural}/`;
      if (!url.startsWith(prefix)) continue;
      const name = url.slice(prefix.length);
      const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
      if (found) return [200, found];
      const details = { name, kind: plural };
      const message = `${plural} "${name}" not found`;
      return [
        404,
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'NotFound', details, code: 404 },
      ];
    }
  }
  return [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }];
}

describe.skipIf(!haveKubectl && process.env.CI !== 'true')(
  'kubectl get --show-managed-fields (fake API server; skipped outside CI when no kubectl: run npx upcert setup)',
  () => {
    const requests: string[] = [];
    let server: http.Server;
    let dir: string;
    let run: CommandRunner;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x').pathname;
        requests.push(url);
        const [status, body] = answer(url);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      dir = mkdtempSync(path.join(tmpdir(), 'upcert-kubectl-'));
      const kubeconfig = path.join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}` } }],
          users: [{ name: 'fake', user: { token: 'not-a-real-token' } }],
          contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
          'current-context': 'fake',
        }),
      );
      const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
      run = (file, args, opts) => execaRunner(file, args, { ...opts, env: { ...opts.env, ...env } });
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps managedFields, leaves out what does not exist, and parses one, many and none', async () => {
      const kubectl = new Kubectl(ns, 'fake', run);
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', name: 'gateway-config' };
      const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' };
      const missing = { apiVersion: 'v1', kind: 'Service', name: 'gateway' };
      const many = await kubectl.liveObjects([cm, deploy, missing]);
      expect(many.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
        'ConfigMap/gateway-config',
        'Deployment/gateway',
      ]);
      expect(many[1]!.metadata.managedFields!.map((m) => m.manager)).toEqual(['helm', 'kube-controller-manager']);
      expect(requests).toContain(`/apis/apps/v1/namespaces/${ns}/deployments/gateway`);
      expect(requests).toContain(`/api/v1/namespaces/${ns}/services/gateway`);
      const one = await kubectl.liveObjects([deploy]);
      expect(one.map((o) => o.metadata.managedFields?.length)).toEqual([2]);
      expect(await kubectl.liveObjects([missing])).toEqual([]);
      // without the flag kubectl drops them (what the Server-Side Apply page and json_yaml_flags.go say)
      const plain = await run(
        'kubectl',
        ['--context', 'fake', '-n', ns, 'get', 'deployment.v1.apps/gateway', '-o', 'json'],
        {
          timeoutMs: 20_000,
        },
      );
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(JSON.parse(plain.stdout).metadata.managedFields).toBeUndefined();
    });

    it("the reference chart rendered by the real helm meets the HPA's spec.replicas", async () => {
      const helm = new Helm({ name: 'upcert', namespace: ns, context: 'fake' }, run);
      const chart = path.resolve(import.meta.dirname, '../../../fixtures/platform/chart');
      const opts = { chart, valuesFiles: [path.join(chart, 'ci/default-values.yaml')], timeoutSeconds: 60 };
      const conflicts = await upgradeConflicts(helm, new Kubectl(ns, 'fake', run), opts);
      const replicas = conflicts.find((c) => c.field === '.spec.replicas');
      expect(replicas).toMatchObject({
        kind: 'Deployment',
        name: 'gateway',
        manager: 'kube-controller-manager',
        live: 5,
      });
      expect(conflicts.filter((c) => !c.ours).map((c) => `${c.kind}/${c.name} ${c.field}`)).toEqual([
        'Deployment/gateway .spec.replicas',
      ]);
    });
  },
);

if (!haveKubectl && process.env.CI === 'true') {
  it('needs kubectl in CI', () => {
    throw new Error('kubectl is not installed: npx upcert setup');
  });
}
