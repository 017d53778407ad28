import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harnessUrl, platformUrl } from '../../common/addresses.ts';
import { type CommandRunner, execaRunner } from '../../common/command.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, defaultClock } from '../../common/timeline.ts';
import { toolSearchPath } from '../../common/tool-path.ts';
import { defaultTimeouts, type Timeouts } from '../../config/schema.ts';
import { type AnyRelease, chartRelease, defaultRoot, type LoadedRelease } from '../../release/catalog.ts';
import { kubeValues, writeSecretsValuesFile } from '../../release/release-values.ts';
import type { HarnessFaultSink } from '../../report/harness-fault.ts';
import { ApiWriteGuard } from '../../seed/api-writes.ts';
import { connectPlatform } from '../kube/connect.ts';
import { type ConflictPolicy, Helm } from '../kube/helm.ts';
import type { KubePlatform } from '../kube/kube-platform.ts';
import { Kubectl } from '../kube/kubectl.ts';
import { requireTools } from '../kube/tools.ts';
import { renderedValues } from '../local/render-config.ts';
import type { InstallOptions, Target } from '../target.ts';
import { type ClusterRunShape, planClusterRun } from './cluster-plan.ts';
import { clusterPrepare } from './cluster-prepare.ts';
import { type ClusterSafety, clusterLimits, installedReleaseMustBe } from './guards.ts';
import { pullableDigestsMustBeRecorded } from './image-refs.ts';
import type { ClusterPlan } from './plan.ts';
import { plannedRunner } from './planned-runner.ts';
import { secretsOf } from './user-secrets.ts';

export interface ClusterTargetOptions extends ClusterSafety {
  /** kubeconfig context (`--context`); required: a run never guesses which cluster to touch. */
  context: string;
  namespace?: string;
  releaseName?: string;
  /** The user's values files, the secrets values file among them (the release's own secrets). */
  valuesFiles: string[];
  /** The release the run upgrades to (the plan covers the upgrade and, when allowed, the rollback). */
  to: LoadedRelease;
  /** What the plan and the run need beyond the safety limits. */
  shape: Pick<ClusterRunShape, 'handEdit' | 'load' | 'providerUrl' | 'keepBackup' | 'schemas' | 'tenantAdapter'>;
  registry?: string;
  highAvailability?: boolean;
  conflictPolicy?: ConflictPolicy;
  root?: string;
  clock?: Clock;
  log?: Logger;
  /** Every deadline (`timeouts` of the configuration); default: the configuration's defaults. */
  timeouts?: Timeouts;
  run?: CommandRunner;
  harnessFault?: HarnessFaultSink;
}

/**
 * An existing cluster (DESIGN.md "Targets: cluster"): nothing is installed; the run starts only when the
 * installed release is `--from` (else exit 2) and its images are pinned by registry digest (else exit 2). It
 * plans first, from reads only (`plan()`, what `--plan` prints), and then holds every helm/kubectl write to
 * that plan. Non-destructive by default: rollback and restore are refused unless `--allow-destructive`, the
 * load rate is capped, tenants carry the run prefix and are deleted afterwards, the hand edit is harmless and
 * reverted when the run stops before the upgrade, and conflicts with other field managers fail the upgrade.
 */
export class ClusterTarget implements Target {
  readonly name = 'cluster' as const;
  constructor(private readonly opts: ClusterTargetOptions) {}

  private async open(from: LoadedRelease, stack: TeardownStack) {
    const o = this.opts;
    const root = o.root ?? defaultRoot;
    const run = o.run ?? execaRunner;
    requireTools('cluster', toolSearchPath(process.env.PATH));
    for (const r of [from, o.to]) pullableDigestsMustBeRecorded(r);
    const namespace = o.namespace ?? 'upcert-platform';
    const release = { name: o.releaseName ?? 'upcert-platform', namespace, context: o.context };
    const timeouts = o.timeouts ?? defaultTimeouts;
    const reader = new Helm(release, run, timeouts.kubeCommandSeconds);
    installedReleaseMustBe(
      from,
      await reader.deployedValues(),
      `context ${o.context}, namespace ${namespace}, release ${release.name}`,
    );
    const ha = o.highAvailability ?? true;
    const base = await kubeValues({
      root,
      release: from,
      highAvailability: ha,
      valuesFiles: o.valuesFiles,
      pinDigests: true,
    });
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-cluster-'));
    stack.push('remove work dir (values, secrets values file)', () => rm(workDir, { recursive: true, force: true }));
    const secretsFile = await writeSecretsValuesFile(workDir, base.secrets);
    const prepare = clusterPrepare({
      root,
      helm: reader,
      workDir,
      secretsFile,
      valuesFiles: o.valuesFiles,
      highAvailability: ha,
      registry: o.registry,
      rolloutSeconds: timeouts.rolloutSeconds,
    });
    const plan = await planClusterRun(
      {
        ...o.shape,
        context: o.context,
        from,
        to: o.to,
        conflictPolicy: o.conflictPolicy ?? 'fail',
        allowDestructive: o.allowDestructive,
        tenantPrefix: o.tenantPrefix,
      },
      reader,
      prepare,
    );
    return { root, run, release, base, prepare, plan, timeouts };
  }

  /** The plan of this run, from reads only (`upcert certify --target cluster --plan`). */
  async plan(from: LoadedRelease): Promise<ClusterPlan> {
    const stack = new TeardownStack(this.opts.log ?? createLogger('cluster'));
    try {
      return (await this.open(from, stack)).plan;
    } finally {
      await stack.dispose();
    }
  }

  async install(any: AnyRelease, install: InstallOptions = {}): Promise<KubePlatform> {
    const from = chartRelease(any);
    const o = this.opts;
    const log = o.log ?? createLogger('cluster');
    const stack = new TeardownStack(log);
    try {
      const { root, run, release, base, prepare, plan, timeouts } = await this.open(from, stack);
      // from here every helm/kubectl write must be one the plan listed
      const guarded = plannedRunner(plan.writes, run);
      const pg = renderedValues(base).postgresql;
      return await connectPlatform({
        target: 'cluster',
        root,
        release: from,
        context: o.context,
        helm: new Helm(release, guarded, timeouts.kubeCommandSeconds, timeouts.helmSettleSeconds),
        kubectl: new Kubectl(release.namespace, o.context, guarded, timeouts.kubeCommandSeconds * 1000),
        secrets: secretsOf(base),
        postgresql: { database: pg.database, user: pg.user },
        prepare,
        imageAliases: async () => new Map(),
        // ownership, not force: only fields upcert's own manager owns are overridden (kind keeps `force`)
        conflictPolicy: o.conflictPolicy ?? 'fail',
        // the configuration API is held to the plan too: a write it does not list is refused
        limits: { ...clusterLimits(o), apiGuard: new ApiWriteGuard(plan.tenants.api) },
        clock: o.clock ?? defaultClock,
        stack,
        log,
        timeline: install.timeline,
        readyTimeoutMs: timeouts.endpointsReadySeconds * 1000,
        tunnelTimeoutMs: timeouts.tunnelSeconds * 1000,
        harnessFault: o.harnessFault,
        given: {
          ...(o.shape.load.gatewayUrl ? { gateway: harnessUrl(o.shape.load.gatewayUrl) } : {}),
          ...(o.shape.providerUrl ? { providerUrl: platformUrl(o.shape.providerUrl) } : {}),
        },
      });
    } catch (error) {
      await stack.dispose(error);
      throw error;
    }
  }
}
