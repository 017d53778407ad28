import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onInterrupt } from '../../common/child-registry.ts';
import { type CommandRunner, execaRunner } from '../../common/command.ts';
import { deepMerge, type Values } from '../../common/deep-merge.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, defaultClock } from '../../common/timeline.ts';
import { toolSearchPath } from '../../common/tool-path.ts';
import { defaultTimeouts, type Timeouts } from '../../config/schema.ts';
import { type AnyRelease, chartRelease, defaultRoot, type LoadedRelease } from '../../release/catalog.ts';
import { kubeValues, writeValuesFile } from '../../release/release-values.ts';
import type { HarnessFaultSink } from '../../report/harness-fault.ts';
import { connectPlatform } from '../kube/connect.ts';
import type { ConflictPolicy } from '../kube/helm.ts';
import { Helm, settleHelm } from '../kube/helm.ts';
import { digestAliases } from '../kube/image-digest.ts';
import type { KubePlatform } from '../kube/kube-platform.ts';
import { Kubectl } from '../kube/kubectl.ts';
import { requireTools } from '../kube/tools.ts';
import { renderedValues } from '../local/render-config.ts';
import { generateSecrets, writeSecretFiles } from '../local/secrets.ts';
import type { InstallOptions, Target } from '../target.ts';
import { KindCli } from './kind-cli.ts';
import { prepareCluster, toolsMustFit } from './kind-cluster.ts';
import { loadedMustCover, preloadImages } from './kind-images.ts';
import { publicHostAliases, readKindValues } from './kind-values.ts';
import { kubectlOfMinor } from './kubectl-minor.ts';
import { readNodeImages, type Topology } from './node-image.ts';
import { publishedAddresses } from './published.ts';

export interface KindTargetOptions {
  root?: string;
  /** kind cluster name; an existing cluster of that name is reused (and then never deleted). */
  clusterName?: string;
  topology?: Topology;
  /** The node image's Kubernetes minor (kind/node-images.yaml); default: the installed release's baseline. */
  kubernetes?: string;
  /** The other releases of the run (upgrade target): their images are loaded at install, before any load. */
  preload?: readonly LoadedRelease[];
  namespace?: string;
  releaseName?: string;
  /** Default: true on the `ha` topology. */
  highAvailability?: boolean;
  valuesFiles?: string[];
  /** Leave the cluster and the namespace at the end, and always export the cluster's logs. */
  keep?: boolean;
  conflictPolicy?: ConflictPolicy;
  /** Where logs go when the install itself fails (reports/<run-id>/logs). */
  logsDir?: string;
  clock?: Clock;
  log?: Logger;
  harnessFault?: HarnessFaultSink;
  /** Every deadline (`timeouts` of the configuration); default: the configuration's defaults. */
  timeouts?: Timeouts;
  run?: CommandRunner;
}

/**
 * The kind target (DESIGN.md "Targets: kind"): a kind cluster from `kind/<topology>.yaml` with the node image
 * of the Kubernetes baseline, every image of the run loaded with `kind load docker-image` before the install,
 * then `helm install`/`upgrade`/`rollback` with `-f values.yaml -f secrets-values.yaml`, the chart values of
 * kind/values.yaml on top (pull policies, NodePorts, public URLs) and the harness on the published NodePorts.
 */
export class KindTarget implements Target {
  readonly name = 'kind' as const;
  constructor(private readonly opts: KindTargetOptions = {}) {}

  async install(any: AnyRelease, install: InstallOptions = {}): Promise<KubePlatform> {
    const release = chartRelease(any);
    const o = this.opts;
    const root = o.root ?? defaultRoot;
    const run = o.run ?? execaRunner;
    const log = o.log ?? createLogger('kind');
    const topology = o.topology ?? 'ha';
    const ha = o.highAvailability ?? topology === 'ha';
    const timeouts = o.timeouts ?? defaultTimeouts;
    const { rolloutSeconds } = timeouts;
    requireTools('kind', toolSearchPath(process.env.PATH));
    await toolsMustFit(run, readNodeImages(root).kind);
    const kubernetes = o.kubernetes ?? release.kubernetes;
    // kubectl of the cluster's minor (version skew policy: within one minor): `upcert setup`'s cache keeps one per
    // minor, got from its npm package when missing
    const kubectlBin = await kubectlOfMinor(kubernetes);
    const kubeRun: CommandRunner = (file, args, opts) => run(file === 'kubectl' ? kubectlBin : file, args, opts);
    const kind = new KindCli(o.clusterName ?? 'upcert', run, timeouts);
    const namespace = o.namespace ?? 'upcert-platform';
    const helm = new Helm(
      { name: o.releaseName ?? 'upcert-platform', namespace, context: kind.context },
      run,
      timeouts.kubeCommandSeconds,
      timeouts.helmSettleSeconds,
    );
    const kubectl = new Kubectl(namespace, kind.context, kubeRun, timeouts.kubeCommandSeconds * 1000);
    const stack = new TeardownStack(log);
    // Ctrl-C: a running helm operation ends first (helm.ts `settleHelm`), then what the run started (namespace,
    // cluster unless --keep, tunnels, temp secrets) goes, before exit 130.
    const unregister = onInterrupt(async () => {
      await settleHelm(helm, log);
      await stack.dispose(new Error('interrupted'));
    });
    stack.push('stop listening for Ctrl-C', async () => {
      unregister();
    });
    try {
      const nodeIp = await prepareCluster(
        {
          root,
          topology,
          kubernetes,
          keep: o.keep ?? false,
          createSeconds: timeouts.clusterCreateSeconds,
          namespaceSeconds: rolloutSeconds,
        },
        kind,
        kubectl,
        stack,
        log,
      );
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-kind-'));
      stack.push('remove work dir', () => rm(workDir, { recursive: true, force: true }));
      const secrets = generateSecrets();
      const secretFiles = await writeSecretFiles(workDir, secrets);
      const kindValues = readKindValues(root);
      const valuesOf = async (r: LoadedRelease): Promise<Values> => {
        const base = await kubeValues({
          root,
          release: r,
          highAvailability: ha,
          valuesFiles: o.valuesFiles ?? [],
          pinDigests: false,
          overrides: kindValues,
        });
        return deepMerge(base, { hostAliases: publicHostAliases(base, nodeIp) });
      };
      const installValues = await valuesOf(release);
      const loaded = await preloadImages(run, kind, [release, ...(o.preload ?? [])], installValues);
      const prepare = async (r: LoadedRelease) => {
        const values = r === release ? installValues : await valuesOf(r);
        loadedMustCover(loaded, values, r.name);
        const chartDir = path.resolve(root, r.chart.path ?? 'fixtures/platform/chart');
        return {
          chart: await helm.package(chartDir, r.chart.version, workDir),
          valuesFiles: [await writeValuesFile(workDir, r.name, values), secretFiles.values],
          timeoutSeconds: rolloutSeconds,
        };
      };
      const pg = renderedValues(installValues).postgresql;
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
        tunnelTimeoutMs: timeouts.tunnelSeconds * 1000,
        published: publishedAddresses(installValues),
        harnessFault: o.harnessFault,
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
