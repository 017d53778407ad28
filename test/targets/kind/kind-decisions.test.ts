/**
 * The kind target's decisions as pure functions, on tool output captured from the real tools
 * (test/fixtures/kube/tools/README.md says where each came from) and on the repository's kind values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner } from '../../../src/common/command.ts';
import { EnvironmentError, StepFailedError } from '../../../src/common/errors.ts';
import { defaultRoot, loadRelease } from '../../../src/release/catalog.ts';
import { KindCli } from '../../../src/targets/kind/kind-cli.ts';
import { loadedMustCover, preloadImages } from '../../../src/targets/kind/kind-images.ts';
import { readKindValues } from '../../../src/targets/kind/kind-values.ts';
import { nodesMustRun, parseNodeVersions } from '../../../src/targets/kind/nodes.ts';
import { publishedAddresses } from '../../../src/targets/kind/published.ts';
import { helmMustBe41, kindMustBe029, kubectlMinors, kubectlMustFit } from '../../../src/targets/kube/tool-versions.ts';
import { releaseValues } from '../../chart/support/render-release.ts';

const tool = (name: string) => readFileSync(new URL(`../../fixtures/kube/tools/${name}`, import.meta.url), 'utf8');

describe('tool versions', () => {
  it('Helm 4.1.4 passes; Helm 3 is exit 3 with the Helm 4 install command', () => {
    expect(helmMustBe41(tool('helm-version-template-v4.1.4.txt'))).toEqual({ major: 4, minor: 1, patch: 4 });
    const refused = (() => {
      try {
        helmMustBe41('v3.17.3');
      } catch (e) {
        return e as EnvironmentError;
      }
    })();
    expect(refused).toBeInstanceOf(EnvironmentError);
    expect(refused?.message).toContain('helm v3.17.3 found; upcert needs Helm 4.1 or newer');
    expect(String(refused?.fix)).toContain('get-helm-4');
  });

  it('kind v0.29.x only (the node images are pinned by kind v0.29.0)', () => {
    expect(kindMustBe029('kind v0.29.0 go1.24.2 linux/amd64\n').minor).toBe(29);
    expect(() => kindMustBe029('kind v0.30.0 go1.24.6 linux/amd64')).toThrow(/need kind v0\.29\.x/);
  });

  it('kubectl within one minor of the cluster ("32+" reads as 32)', () => {
    const v133 = kubectlMinors(tool('kubectl-version-v1.33.9.json'));
    const v132 = kubectlMinors(tool('kubectl-version-v1.32.4-dispatcher.json'));
    expect([v133.client, v132.client]).toEqual([33, 32]);
    expect(() => kubectlMustFit(v133.client, 32)).not.toThrow();
    expect(() => kubectlMustFit(v133.client, 31)).toThrow(/kubectl 1\.33 against a 1\.31 cluster/);
  });
});

describe('a reused cluster', () => {
  // kubelet versions of the node images kind v0.29.0 publishes (kind/node-images.yaml)
  const nodes = parseNodeVersions('upcert-control-plane v1.32.5\nupcert-worker v1.32.5\n');
  it('must run the baseline asked for', () => {
    expect(() => nodesMustRun(nodes, '1.32', 'upcert')).not.toThrow();
    expect(() => nodesMustRun(nodes, '1.31', 'upcert')).toThrow(
      'kind cluster upcert: upcert-control-plane runs v1.32.5, upcert-worker runs v1.32.5; this run needs Kubernetes 1.31',
    );
  });
});

describe('published addresses', () => {
  it('the harness reaches every Service on its 127.0.0.1 NodePort; the browser starts at the public console URL', () => {
    const p = publishedAddresses(readKindValues(defaultRoot));
    expect(p.endpoints).toEqual({
      gateway: 'http://127.0.0.1:30080',
      controlPlane: 'http://127.0.0.1:30081',
      console: 'http://127.0.0.1:30082',
      identity: 'http://127.0.0.1:30083',
      providerMock: 'http://127.0.0.1:30084',
    });
    expect(p.database).toEqual({ host: '127.0.0.1', port: 30432 });
    expect(p.browser).toEqual({
      consoleUrl: 'http://console.upcert.test:30082',
      hostResolverRules: 'MAP console.upcert.test 127.0.0.1, MAP identity.upcert.test 127.0.0.1',
    });
  });

  it('a ClusterIP Service cannot be published: bad input naming it', () => {
    const values = readKindValues(defaultRoot);
    (values.gateway as { service: unknown }).service = { type: 'ClusterIP' };
    expect(() => publishedAddresses(values)).toThrow('kind values: gateway.service must be a NodePort');
  });
});

describe('images are loaded before the install, both releases and provider-mock', () => {
  const recorder = () => {
    const calls: string[][] = [];
    const run: CommandRunner = async (file, args): Promise<CommandResult> => {
      calls.push([file, ...args]);
      const inspect = file === 'docker' && args[0] === 'image';
      // docker image inspect --format '{{.Id}} {{json .RepoDigests}}': the manifest's recorded digest
      const stdout = inspect ? `${digest} []\n` : '';
      return { stdout, stderr: '', exitCode: 0 };
    };
    return { calls, run };
  };
  const digest = `sha256:${'ab'.repeat(32)}`;
  const built = (name: string) => {
    const r = structuredClone(loadRelease(name));
    for (const c of Object.values(r.components)) c.image.digest = digest;
    return r;
  };

  it('one kind load of every image of N and N+1 and of every Never image of the values', async () => {
    const { calls, run } = recorder();
    const values = await releaseValues('v1.7.0', 'kind');
    const loaded = await preloadImages(run, new KindCli('upcert', run), [built('v1.7.0'), built('v1.8.0')], values);
    const loads = calls.filter((c) => c[0] === 'kind' && c[1] === 'load');
    expect(loads).toHaveLength(1);
    expect(loads[0]?.slice(5).sort()).toEqual(
      [
        'upcert/console:v1.7.0',
        'upcert/console:v1.8.0',
        'upcert/control-plane:v1.7.0',
        'upcert/control-plane:v1.8.0',
        'upcert/gateway:v1.7.0',
        'upcert/gateway:v1.8.0',
        'upcert/identity:v1.7.0',
        'upcert/identity:v1.8.0',
        'upcert/provider-mock:1',
      ].sort(),
    );
    expect(() => loadedMustCover(loaded, values, 'v1.7.0')).not.toThrow();
  });

  it('a release whose images were not loaded at install is refused before its upgrade', async () => {
    const { run } = recorder();
    const loaded = await preloadImages(
      run,
      new KindCli('upcert', run),
      [built('v1.7.0')],
      await releaseValues('v1.7.0', 'kind'),
    );
    const next = await releaseValues('v1.8.0', 'kind');
    expect(() => loadedMustCover(loaded, next, 'v1.8.0')).toThrow(StepFailedError);
    expect(() => loadedMustCover(loaded, next, 'v1.8.0')).toThrow(
      /upcert\/gateway:v1\.8\.0, .* were not loaded at install/,
    );
  });
});
