import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { platformConfigSchema, platformSecretsSchema } from '../../fixtures/platform/src/common/settings.ts';
import { resolveTool } from '../../src/common/tool-path.ts';
import { defaultRoot } from '../../src/release/index.ts';

/** The platform chart, rendered by the real helm (`upcert setup`, which `npm test` runs first, gets it). */
const chart = path.join(defaultRoot, 'fixtures/platform/chart');
const exampleSecrets = path.join(chart, 'secrets-values.example.yaml');
const haValues = path.join(chart, 'values-ha.yaml');
const releaseComponents = ['gateway', 'control-plane', 'console', 'identity'];
const workloads = [...releaseComponents, 'provider-mock'];

interface Container {
  image: string;
  readinessProbe: unknown;
  env: { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    containers: Container[];
    terminationGracePeriodSeconds: number;
    affinity?: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { podAffinityTerm: unknown }[] } };
  };
}
/** The parts of the rendered objects these tests read. */
interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: { replicas?: number; strategy?: unknown; template: PodTemplate; minAvailable?: number; selector?: unknown };
  data: Record<string, string>;
}

async function helm(args: string[]) {
  return execa(resolveTool('helm'), args, { cwd: chart, reject: false, timeout: 60_000, all: true });
}

const helmVersion = await helm(['version', '--short']).catch(() => undefined);
const haveHelm = helmVersion?.exitCode === 0;
const missingHelm = 'helm is not installed: npx upcert setup';

async function render(...flags: string[]): Promise<K8sObject[]> {
  const result = await helm(['template', 'upcert', '.', '--namespace', 'certify', ...flags]);
  expect(result.exitCode, result.all).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}
const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the render`);
  return found;
};
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

if (!haveHelm && process.env.CI === 'true') {
  it('needs helm in CI', () => {
    throw new Error(missingHelm);
  });
}

describe.skipIf(!haveHelm)('platform chart', () => {
  it('keeps the values shape of CONTRACT.md', () => {
    const values = parse(readFileSync(path.join(chart, 'values.yaml'), 'utf8'));
    expect(Object.keys(values)).toEqual([
      'global',
      'publicUrls',
      'hostAliases',
      'gateway',
      'controlPlane',
      'console',
      'identity',
      'providerMock',
      'postgresql',
    ]);
    expect(values.gateway).toMatchObject({ replicas: null, maxRequestBytes: 10485760, preStop: null });
  });

  it.each([[[]], [['-f', haValues]]])('passes helm lint with the example secrets %j', async (extra) => {
    const result = await helm(['lint', '.', '--strict', '-f', exampleSecrets, ...extra]);
    expect(result.exitCode, result.all).toBe(0);
  });

  it('renders one replica per workload and no PodDisruptionBudget by default', async () => {
    const objects = await render('-f', exampleSecrets);
    for (const name of workloads) {
      const deployment = find(objects, 'Deployment', name);
      expect(deployment.spec.replicas, name).toBe(1);
      expect(deployment.spec.template.spec.affinity, name).toBeUndefined();
      expect(deployment.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
      find(objects, 'Service', name);
    }
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(find(objects, 'StatefulSet', 'postgresql').spec.template.spec.containers[0]?.image).toBe('postgres:15');
    find(objects, 'Service', 'postgresql');
  });

  it('renders 2 replicas, a PodDisruptionBudget and soft anti-affinity per component with HA values', async () => {
    const objects = await render('-f', exampleSecrets, '-f', haValues, '--set', 'console.replicas=3');
    for (const name of releaseComponents) {
      const pod = find(objects, 'Deployment', name).spec;
      expect(pod.replicas, name).toBe(name === 'console' ? 3 : 2);
      const [term] = pod.template.spec.affinity?.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      expect(term?.podAffinityTerm).toMatchObject({
        topologyKey: 'kubernetes.io/hostname',
        labelSelector: { matchLabels: { app: name } },
      });
      const pdb = find(objects, 'PodDisruptionBudget', name).spec;
      expect(pdb).toEqual({
        minAvailable: 1,
        selector: { matchLabels: { app: name, 'app.kubernetes.io/instance': 'upcert' } },
      });
    }
    expect(ofKind(objects, 'PodDisruptionBudget')).toHaveLength(releaseComponents.length);
  });

  it('runs each component by the process contract', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const objects = await render('-f', exampleSecrets, '--set', `gateway.image.digest=${digest}`);
    const pod = find(objects, 'Deployment', 'gateway').spec.template;
    const container = pod.spec.containers[0]!;
    expect(pod.metadata.labels).toMatchObject({ app: 'gateway', 'app.kubernetes.io/version': 'v1.9.0' });
    expect(container.image).toBe(`upcert/gateway:v1.9.0@${digest}`);
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1 });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef.fieldPath]));
    expect(env).toEqual({
      PLATFORM_CONFIG: '/etc/platform/config.json',
      PLATFORM_SECRETS: '/etc/platform/secrets.json',
      HOST: '0.0.0.0',
      PORT: '8080',
      REPLICA_ID: 'metadata.name',
    });
    expect(find(objects, 'Deployment', 'console').spec.template.spec.containers[0]?.image).toBe(
      'upcert/console:v1.9.0',
    );
  });

  it('renders each ConfigMap to the contract, pointing at the in-cluster Services', async () => {
    const objects = await render('-f', exampleSecrets);
    for (const name of workloads) {
      const config = platformConfigSchema.parse(
        JSON.parse(find(objects, 'ConfigMap', `${name}-config`).data['config.json'] ?? ''),
      );
      expect(config.component).toBe(name);
      expect(config.database).toEqual({
        host: 'postgresql.certify.svc.cluster.local',
        port: 5432,
        database: 'platform',
        user: 'platform',
      });
      expect(config.services.controlPlane).toBe('http://control-plane.certify.svc.cluster.local');
      expect(config.gateway.maxRequestBytes).toBe(10485760);
    }
    const secret = find(objects, 'Secret', 'platform-secrets');
    const secrets = JSON.parse(Buffer.from(secret.data['secrets.json'] ?? '', 'base64').toString('utf8'));
    expect(platformSecretsSchema.parse(secrets).signingKey.kty).toBe('RSA');
  });

  it('re-rolls pods when the rendered config changes', async () => {
    const checksum = (objects: K8sObject[]) =>
      find(objects, 'Deployment', 'gateway').spec.template.metadata.annotations['checksum/config'];
    const before = checksum(await render('-f', exampleSecrets));
    const after = checksum(await render('-f', exampleSecrets, '--set', 'gateway.maxRequestBytes=2048'));
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('refuses to render without a secret, naming it', async () => {
    const one = await helm(['template', 'upcert', '.', '-f', exampleSecrets, '--set', 'secrets.oidcClientSecret=null']);
    expect(one.exitCode).not.toBe(0);
    expect(one.stderr).toContain('missing secret: secrets.oidcClientSecret (');
    const none = await helm(['template', 'upcert', '.']);
    expect(none.stderr).toContain('missing secret: secrets.adminToken, secrets.adminPassword');
  });
});

if (!haveHelm && process.env.CI !== 'true') it.skip(`platform chart: skipped, ${missingHelm}`, () => {});
