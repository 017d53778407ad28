/**
 * CI builds the images of one release and runs each once: it must start and answer `/version` with the
 * artifact digest its manifest names (DESIGN.md "build once"). Needs a Docker engine: with CI=true the test
 * runs and fails when Docker is missing; elsewhere it is skipped, saying why. About a minute.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlatform } from '../../../fixtures/platform/build.ts';
import { execaRunner } from '../../../src/common/command.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { defaultRoot, loadRelease } from '../../../src/release/catalog.ts';
import { resolveChartValues } from '../../../src/release/chart-values.ts';
import { type BuiltImage, buildImages, chooseBase, recordImageDigests } from '../../../src/release/images.ts';
import { componentNames } from '../../../src/release/manifest.ts';
import { dockerAnswers } from '../../../src/targets/kube/local-images.ts';
import { renderConfig } from '../../../src/targets/local/render-config.ts';
import { generateSecrets } from '../../../src/targets/local/secrets.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
const inCi = process.env.CI === 'true';
const docker = await dockerAnswers(execaRunner);
const release = loadRelease('v1.8.0');
const refFor = (_r: unknown, c: string) => `upcert-ci/${c}:${release.name}`;
const cleanup: (() => Promise<unknown>)[] = [];

describe.skipIf(!docker && !inCi)(
  `component images of ${release.name} (${docker ? 'Docker answers' : 'skipped: no Docker engine answers and CI is not true'})`,
  () => {
    let built: BuiltImage[] = [];
    beforeAll(async () => {
      if (!docker)
        throw new Error(
          'CI=true but no Docker engine answers (`docker version` failed): the image test must run in CI',
        );
      const build = await buildPlatform({ releases: [release.name], log: () => undefined });
      expect(build.missing).toEqual([]);
      cleanup.push(() =>
        execaRunner('docker', ['rmi', '-f', ...componentNames.map((c) => refFor(release, c))], { timeoutMs: 60_000 }),
      );
      built = await buildImages({
        root: defaultRoot,
        releases: [release],
        base: await chooseBase(undefined),
        refFor,
        log: createLogger('images'),
      });
    }, 600_000);
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
    }, 120_000);

    test('one image per component, each recorded by an OCI digest', () => {
      expect(built.map((b) => b.component)).toEqual([...componentNames]);
      for (const b of built) expect(b.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    test('the digests are written into a manifest with its comments kept', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'upcert-manifests-'));
      cleanup.push(async () => rmSync(root, { recursive: true, force: true }));
      mkdirSync(path.join(root, 'fixtures/releases'), { recursive: true });
      cpSync(path.join(defaultRoot, release.file), path.join(root, release.file));
      expect(await recordImageDigests(root, [release], built)).toEqual([release.file]);
      const text = readFileSync(path.join(root, release.file), 'utf8');
      expect(text).toContain('# Kubernetes baseline this set is tested on');
      const reread = loadRelease(release.name, root);
      for (const b of built) expect(reread.components[b.component].image.digest).toBe(b.digest);
    });

    test('each image starts and answers /version with the artifact digest its manifest names', async () => {
      const { GenericContainer, Network, Wait } = await import('testcontainers');
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const secrets = generateSecrets();
      const network = await new Network().start();
      cleanup.push(() => network.stop());
      const pgImage =
        (await execaRunner('docker', ['image', 'inspect', 'local/postgres:15'], { timeoutMs: 30_000 })).exitCode === 0
          ? 'local/postgres:15'
          : 'postgres:15';
      const pg = await new PostgreSqlContainer(pgImage)
        .withNetwork(network)
        .withNetworkAliases('postgresql')
        .withDatabase('platform')
        .withUsername('platform')
        .withPassword(secrets.databasePassword)
        .start();
      cleanup.push(() => pg.stop());
      const values = await resolveChartValues({ root: defaultRoot, release });
      const services = {
        gateway: 'http://gateway:8080',
        controlPlane: 'http://control-plane:8080',
        console: 'http://console:8080',
        identity: 'http://identity:8080',
      };
      for (const component of ['control-plane', 'identity', 'gateway', 'console'] as const) {
        const config = renderConfig(component, values, services, { host: 'postgresql', port: 5432 });
        const container = await new GenericContainer(refFor(release, component))
          .withNetwork(network)
          .withNetworkAliases(component)
          .withCopyContentToContainer([
            { content: JSON.stringify(config), target: '/etc/platform/config.json', mode: 0o644 },
            { content: JSON.stringify(secrets), target: '/etc/platform/secrets.json', mode: 0o644 },
          ])
          .withEnvironment({
            PLATFORM_CONFIG: '/etc/platform/config.json',
            PLATFORM_SECRETS: '/etc/platform/secrets.json',
            REPLICA_ID: `${component}-ci`,
          })
          .withExposedPorts(8080)
          .withWaitStrategy(Wait.forHttp('/version', 8080).forStatusCode(200))
          .withStartupTimeout(60_000)
          .start();
        cleanup.push(() => container.stop({ timeout: 10_000 }));
        const answer = (await (
          await fetch(`http://${container.getHost()}:${container.getMappedPort(8080)}/version`)
        ).json()) as Record<string, string>;
        expect(answer).toEqual({
          component,
          version: release.version,
          digest: `sha256:${release.components[component].artifact.sha256}`,
        });
      }
    }, 300_000);
  },
);
