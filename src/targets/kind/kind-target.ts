import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CommandRunner, execaRunner } from '../../common/command.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, defaultClock } from '../../common/timeline.ts';
import { defaultRoot, type LoadedRelease } from '../../release/catalog.ts';
import { kubeValues, writeValuesFile } from '../../release/release-values.ts';
import { connectPlatform } from '../kube/connect.ts';
import type { ConflictPolicy } from '../kube/helm.ts';
import { Helm } from '../kube/helm.ts';
import { digestAliases } from '../kube/image-digest.ts';
import type { KubePlatform } from '../kube/kube-platform.ts';
import { Kubectl } from '../kube/kubectl.ts';
import { imageRefs, localImagesMustMatch } from '../kube/local-images.ts';
import { requireTools } from '../kube/tools.ts';
import { renderedValues } from '../local/render-config.ts';
import { generateSecrets, writeSecretFiles } from '../local/secrets.ts';
import type { InstallOptions, Target } from '../target.ts';
import { KindCli } from './kind-cli.ts';
import { clusterConfigFile, nodeImageFor, readNodeImages, type Topology } from './node-image.ts';

export interface KindTargetOptions {
  root?: string;
  /** kind cluster name; an existing cluster of that name is reused (and then never deleted). */
  clusterName?: string;
  topology?: Topology;
  namespace?: string;
  releaseName?: string;
  /** Default: true on the `ha` topology. */
  highAvailability?: boolean;
  valuesFiles?: string[];
  /** Leave the cluster running at the end, and always export its logs. */
  keep?: boolean;
  conflictPolicy?: ConflictPolicy;
  /** Where logs go when the install itself fails (reports/<run-id>/logs). */
  logsDir?: string;
  clock?: Clock;
  log?: Logger;
  timeouts?: { clusterCreateSeconds?: number; rolloutSeconds?: number };
  run?: CommandRunner;
}

/**
 * The kind target (DESIGN.md "Targets: kind"): a kind cluster from `kind/<topology>.yaml` with the node image
 * of the release's Kubernetes baseline, the release's images loaded with `kind load docker-image`, then
 * `helm install`/`upgrade`/`rollback` with `-f values.yaml -f secrets-values.yaml`.
 */
export class KindTarget implements Target {
  readonly name = 'kind' as const;
  constructor(private readonly opts: KindTargetOptions = {}) {}

  async install(release: LoadedRelease, install: InstallOptions = {}): Promise<KubePlatform> {
    const o = this.opts;
    const root = o.root ?? defaultRoot;
    const run = o.run ?? execaRunner;
    const log = o.log ?? createLogger('kind');
    const topology = o.topology ?? 'ha';
    const ha = o.highAvailability ?? topology === 'ha';
    const rolloutSeconds = o.timeouts?.rolloutSeconds ?? 300;
    requireTools('kind', process.env.PATH);
    await localImagesMustMatch(run, release);
    const kind = new KindCli(o.clusterName ?? 'upcert', run);
    const namespace = o.namespace ?? 'upcert-platform';
    const helm = new Helm({ name: o.releaseName ?? 'upcert-platform', namespace, context: kind.context }, run);
    const kubectl = new Kubectl(namespace, kind.context, run);
    const stack = new TeardownStack(log);
    try {
      if (await kind.exists()) {
        log.info(`reusing kind cluster ${kind.cluster}`);
        if (!o.keep) stack.push(`helm uninstall ${helm.release.name}`, () => helm.uninstall(120).then(() => undefined));
      } else {
        const image = nodeImageFor(readNodeImages(root), release.kubernetes);
        log.info(`creating kind cluster ${kind.cluster} (${topology}, ${image})`);
        await kind.create(clusterConfigFile(root, topology), image, o.timeouts?.clusterCreateSeconds ?? 300);
        if (!o.keep) stack.push(`delete kind cluster ${kind.cluster}`, () => kind.delete().then(() => undefined));
      }
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-kind-'));
      stack.push('remove work dir', () => rm(workDir, { recursive: true, force: true }));
      const secrets = generateSecrets();
      const secretFiles = await writeSecretFiles(workDir, secrets);
      const loaded = new Set<string>();
      const prepare = async (r: LoadedRelease) => {
        if (!loaded.has(r.name)) {
          await localImagesMustMatch(run, r);
          await kind.load(imageRefs(r));
          loaded.add(r.name);
        }
        const values = await kubeValues({
          root,
          release: r,
          highAvailability: ha,
          valuesFiles: o.valuesFiles ?? [],
          pinDigests: false,
          overrides: { global: { imagePullPolicy: 'Never' } },
        });
        const chartDir = path.resolve(root, r.chart.path ?? 'fixtures/platform/chart');
        return {
          chart: await helm.package(chartDir, r.chart.version, workDir),
          valuesFiles: [await writeValuesFile(workDir, r.name, values), secretFiles.values],
          timeoutSeconds: rolloutSeconds,
        };
      };
      const pg = renderedValues(
        await kubeValues({ root, release, highAvailability: ha, valuesFiles: o.valuesFiles ?? [], pinDigests: false }),
      ).postgresql;
      return await connectPlatform({
        target: 'kind',
        root,
        release,
        context: kind.context,
        helm,
        kubectl,
        secrets,
        postgresql: { database: pg.database, user: pg.user },
        prepare,
        imageAliases: async () => {
          const tables = await Promise.all((await kind.nodes()).map((n) => kind.nodeImages(n)));
          return digestAliases(tables.flat());
        },
        conflictPolicy: o.conflictPolicy ?? 'force',
        collectExtra: (dir) => kind.exportLogs(path.join(dir, 'kind')).then(() => undefined),
        extraLogsAlways: o.keep,
        clock: o.clock ?? defaultClock,
        stack,
        log,
        timeline: install.timeline,
        install: async () => {
          await helm.install(await prepare(release));
        },
        readyTimeoutMs: rolloutSeconds * 1000,
      });
    } catch (error) {
      log.error(`install of ${release.name} on kind failed: collecting logs, then tearing down`);
      if (o.logsDir)
        await kind.exportLogs(path.join(o.logsDir, 'kind')).catch((e: unknown) => log.warn((e as Error).message));
      await stack.dispose(error);
      throw error;
    }
  }
}
