/**
 * The chart as Kubernetes runs install it (each release packaged at its version, default / HA / kind values),
 * checked on the rendered objects: Kubernetes API schemas, and the blockers of a first kind run gone
 * (images the nodes can get, public URLs for sign-in, pod templates that do not change under components that
 * are not upgraded).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultRoot } from '../../src/release/catalog.ts';
import { imagesToLoad } from '../../src/targets/kind/kind-values.ts';
import { schemaErrors } from './support/kube-schemas.ts';
import {
  exampleNodeIp,
  findObject,
  type K8sObject,
  releaseValues,
  renderRelease,
  valueSets,
} from './support/render-release.ts';

const releases = ['v1.7.0', 'v1.8.0', 'v1.9.0'];
/** The good upgrade pairs the kind workflow certifies. */
const pairs = [
  ['v1.7.0', 'v1.8.0'],
  ['v1.8.0', 'v1.9.0'],
] as const;
/** Workloads no release pins: never upgraded, so their pods must survive every upgrade and rollback. */
const notUpgraded = [
  ['StatefulSet', 'postgresql'],
  ['Deployment', 'provider-mock'],
] as const;

const renders = new Map<string, Promise<K8sObject[]>>();
const render = (release: string, set: (typeof valueSets)[number]) => {
  const key = `${release}/${set}`;
  if (!renders.has(key)) renders.set(key, renderRelease(release, set));
  return renders.get(key) as Promise<K8sObject[]>;
};
const containersOf = (o: K8sObject) =>
  (o.spec?.template?.spec?.containers ?? []) as { name: string; image: string; imagePullPolicy: string }[];

describe('every rendered object validates against the Kubernetes v1.33 API schemas', () => {
  for (const release of releases) {
    for (const set of valueSets) {
      it(`${release} with ${set} values`, async () => {
        const objects = await render(release, set);
        expect(objects.length).toBeGreaterThanOrEqual(17);
        const errors = (await Promise.all(objects.map(schemaErrors))).flat();
        expect(errors).toEqual([]);
      });
    }
  }

  it('and the validation fails on a broken object', async () => {
    const broken = structuredClone(findObject(await render('v1.8.0', 'kind'), 'Deployment', 'gateway'));
    broken.spec.template.spec.containers[0].imagePullPolicy = 'Nevr';
    const service = structuredClone(findObject(await render('v1.8.0', 'kind'), 'Service', 'gateway'));
    service.spec.ports[0].nodePort = '30080';
    expect(await schemaErrors(broken)).toEqual([expect.stringContaining('imagePullPolicy must be equal to one of')]);
    expect(await schemaErrors(service)).toEqual([expect.stringContaining('nodePort must be integer')]);
  });
});

describe('kind: every image is there or pullable', () => {
  for (const release of releases) {
    it(`${release}: loaded images run with Never, PostgreSQL is pulled by the nodes (IfNotPresent)`, async () => {
      const objects = await render(release, 'kind');
      const loaded = new Set(imagesToLoad(await releaseValues(release, 'kind')));
      const policies = Object.fromEntries(
        objects.flatMap(containersOf).map((c) => [c.name, [c.image, c.imagePullPolicy]]),
      );
      expect(policies).toEqual({
        gateway: [`upcert/gateway:${release}`, 'Never'],
        'control-plane': [`upcert/control-plane:${release}`, 'Never'],
        console: [`upcert/console:${release}`, 'Never'],
        identity: [`upcert/identity:${release}`, 'Never'],
        'provider-mock': ['upcert/provider-mock:1', 'Never'],
        postgresql: ['postgres:15', 'IfNotPresent'],
      });
      for (const [image, policy] of Object.values(policies)) {
        expect(loaded.has(image as string), `${image} loaded`).toBe(policy === 'Never');
      }
    });
  }
});

describe('kind: console and identity by public URLs on fixed NodePorts', () => {
  const clusterConfigs = ['single', 'ha'].map((t) => ({
    name: t,
    config: parse(readFileSync(path.join(defaultRoot, 'kind', `${t}.yaml`), 'utf8')) as {
      nodes: {
        role: string;
        extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string }[];
      }[];
    },
  }));

  it('identity issues and the console redirects on the public URLs, which resolve in the pods to the node', async () => {
    const objects = await render('v1.8.0', 'kind');
    for (const name of ['gateway', 'control-plane', 'console', 'identity', 'provider-mock']) {
      const config = JSON.parse(findObject(objects, 'ConfigMap', `${name}-config`).data?.['config.json'] ?? '{}');
      expect(config.services).toEqual({
        controlPlane: 'http://control-plane.upcert-platform.svc.cluster.local',
        gateway: 'http://gateway.upcert-platform.svc.cluster.local',
        console: 'http://console.upcert.test:30082',
        identity: 'http://identity.upcert.test:30083',
      });
      expect(findObject(objects, 'Deployment', name).spec.template.spec.hostAliases).toEqual([
        { ip: exampleNodeIp, hostnames: ['console.upcert.test', 'identity.upcert.test'] },
      ]);
    }
  });

  it('each NodePort is published on the host loopback by both cluster configs, on the same port', async () => {
    const objects = await render('v1.8.0', 'kind');
    const nodePorts = objects
      .filter((o) => o.kind === 'Service')
      .map((o) => [o.metadata.name, o.spec.type, o.spec.ports[0].nodePort]);
    expect(nodePorts).toEqual([
      ['postgresql', 'NodePort', 30432],
      ['gateway', 'NodePort', 30080],
      ['control-plane', 'NodePort', 30081],
      ['console', 'NodePort', 30082],
      ['identity', 'NodePort', 30083],
      ['provider-mock', 'NodePort', 30084],
    ]);
    for (const { name, config } of clusterConfigs) {
      const mappings = config.nodes.find((n) => n.role === 'control-plane')?.extraPortMappings ?? [];
      for (const [, , port] of nodePorts) {
        expect(mappings, `${name}: ${port}`).toContainEqual({
          containerPort: port,
          hostPort: port,
          listenAddress: '127.0.0.1',
          protocol: 'TCP',
        });
      }
    }
  });

  it('without kind values everything stays ClusterIP on in-cluster URLs', async () => {
    const objects = await render('v1.8.0', 'default');
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.spec.type)).toEqual(Array(6).fill('ClusterIP'));
    const config = JSON.parse(findObject(objects, 'ConfigMap', 'console-config').data?.['config.json'] ?? '{}');
    expect(config.services.identity).toBe('http://identity.upcert-platform.svc.cluster.local');
  });
});

describe('pod templates of components that are not upgraded stay identical between chart versions', () => {
  for (const [from, to] of pairs) {
    for (const set of valueSets) {
      it(`${from} → ${to} with ${set} values`, async () => {
        const [n, next] = await Promise.all([render(from, set), render(to, set)]);
        for (const [kind, name] of notUpgraded) {
          const before = findObject(n, kind, name);
          const after = findObject(next, kind, name);
          expect(after.spec.template, `${kind}/${name}`).toEqual(before.spec.template);
          // the objects themselves do carry the chart version (metadata only)
          expect(after.metadata.labels?.['helm.sh/chart']).toBe(`upcert-platform-${to.slice(1)}`);
          expect(before.metadata.labels?.['helm.sh/chart']).toBe(`upcert-platform-${from.slice(1)}`);
        }
        // the upgraded components do roll (their image changes)
        expect(findObject(next, 'Deployment', 'gateway').spec.template).not.toEqual(
          findObject(n, 'Deployment', 'gateway').spec.template,
        );
      });
    }
  }
});
