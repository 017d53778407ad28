import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessUrl, platformUrl } from '../../common/addresses.ts';
import { onInterrupt, trackDir } from '../../common/child-registry.ts';
import { deepMerge, type Values } from '../../common/deep-merge.ts';
import { StepFailedError } from '../../common/errors.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { EventSink } from '../../common/rollout-event.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, Timeline } from '../../common/timeline.ts';
import { installNpmComponent } from '../../platform/npm-install.ts';
import type { PlatformProfile } from '../../platform/profile.ts';
import { treeDigest } from '../../platform/tree-digest.ts';
import { type AnyRelease, defaultRoot, loadPlatformRelease } from '../../release/catalog.ts';
import { readValuesFile, resolveChartValues } from '../../release/chart-values.ts';
import { type ComponentName, componentNames, type NpmPackage } from '../../release/manifest.ts';
import type {
  ComponentStatus,
  DatabaseAccess,
  InstalledPlatform,
  PlatformEndpoints,
  PlatformUrls,
  ReplicaStatus,
  TimelineSink,
  WithConnectionReplicas,
} from '../target.ts';
import type { ProcessLaunch } from './container-process.ts';
import { weighCpu } from './cpu-weight.ts';
import { Deployment, type Revision } from './deployment.ts';
import { FrontDoor } from './front-door.ts';
import { providerMockBundle } from './release-plan.ts';
import { renderConfig, writeConfigFile } from './render-config.ts';
import { rollingUpdate } from './rollout.ts';
import { generateSecrets, writeSecretFiles } from './secrets.ts';
import { type WorkloadName, type WorkloadSettings, workloadSettings } from './workload-settings.ts';

/** The reference chart, which ships provider-mock (harness infrastructure: the same upstream for every platform). */
const providerMockChart = { path: 'fixtures/platform/chart', version: '0.0.0' };

export interface PackagedPlatformOptions {
  profile: PlatformProfile;
  release: AnyRelease;
  root?: string;
  /** User values files (`-f`): the profile's `deployment` in the chart's terms, e.g. a preStop hook. */
  valuesFiles?: string[];
  endpointPropagationMs?: number;
  log?: Logger;
  clock?: Clock;
  onEvent?: EventSink;
  workDir?: string;
  timeouts?: { installSeconds?: number; progressDeadlineSeconds?: number };
  ports?: { gateway?: number };
  /** Releases to install into the cache before the platform starts (the upgrade's: no `npm ci` inside a measured rollout). */
  prepare?: readonly AnyRelease[];
}

/** What one rollout of a packaged release runs: each component's installed package, its command and its digest. */
interface PackagedPlan {
  release: AnyRelease;
  components: ComponentName[];
  revisions: Map<WorkloadName, Omit<Revision, 'number'>>;
}

/** The profile's `{node}`, `{package}` and `{providerMock}` filled in; `{port}` is the replica's to fill. */
function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(node|package|providerMock)\}/g, (_, k: string) => vars[k]!);
}

/**
 * A platform installed from npm packages as local processes (`install: npm` in its profile, e.g. Portkey's
 * gateway): each component's package installed into the project's cache from its committed lockfile, several
 * replicas started by the profile's command behind an L4 front door, rolled with the same Kubernetes
 * RollingUpdate semantics, readiness and termination (preStop, SIGTERM, grace, SIGKILL) as the reference
 * platform's, and the same provider-mock upstream. It has no database and no tenant API: its profile says so.
 */
export class PackagedPlatform implements InstalledPlatform, WithConnectionReplicas {
  private plan: PackagedPlan;
  private revision = 1;
  private busy: Promise<unknown> = Promise.resolve();

  private constructor(
    plan: PackagedPlan,
    private readonly parts: {
      profile: PlatformProfile;
      root: string;
      values: Values;
      timeline: Timeline;
      endpoints: PlatformEndpoints;
      platformUrls: PlatformUrls;
      secrets: { adminToken: string; adminPassword: string };
      deployments: Map<WorkloadName, Deployment>;
      runDir: string;
      progressDeadlineMs: number;
      installTimeoutMs: number;
      stack: TeardownStack;
      unregister: () => void;
      log: Logger;
    },
  ) {
    this.plan = plan;
  }

  static async start(opts: PackagedPlatformOptions): Promise<PackagedPlatform> {
    const log = opts.log ?? createLogger('local');
    const root = opts.root ?? defaultRoot;
    const { profile, release } = opts;
    const timeline = new Timeline(opts.clock);
    if (opts.onEvent) timeline.subscribe(opts.onEvent);
    const stack = new TeardownStack(log);
    const unregister = onInterrupt(() => stack.dispose(new Error('interrupted')));
    const installTimeoutMs = (opts.timeouts?.installSeconds ?? 120) * 1000;
    try {
      let values: Values = structuredClone(profile.deployment) as Values;
      for (const file of opts.valuesFiles ?? [])
        values = deepMerge(values, await readValuesFile(path.resolve(file), file));
      const runDir = await mkdtemp(path.join(opts.workDir ?? os.tmpdir(), 'upcert-local-'));
      const releaseDir = trackDir(runDir);
      stack.push('remove run dir', async () => {
        await rm(runDir, { recursive: true, force: true, maxRetries: 3 });
        releaseDir();
      });
      const logsDir = path.join(runDir, 'logs');
      const configDir = path.join(runDir, 'config');
      await mkdir(logsDir);
      await mkdir(configDir);
      const secrets = generateSecrets();
      const secretFiles = await writeSecretFiles(runDir, secrets);

      const doors = new Map<WorkloadName, FrontDoor>();
      stack.push('close front doors', async () => {
        await Promise.all([...doors.values()].map((d) => d.close()));
      });
      doors.set('gateway', await FrontDoor.open('gateway', opts.ports?.gateway ?? 0, 'local.ports.gateway'));
      doors.set('provider-mock', await FrontDoor.open('provider-mock', 0));
      const gatewayUrl = harnessUrl(doors.get('gateway')!.url);
      const mockUrl = doors.get('provider-mock')!.url;
      // no console, control plane or identity: their endpoints are the gateway's, and the profile says they are not there
      const endpoints: PlatformEndpoints = {
        gateway: gatewayUrl,
        controlPlane: gatewayUrl,
        console: gatewayUrl,
        identity: gatewayUrl,
        providerMock: harnessUrl(mockUrl),
      };
      const platformUrls: PlatformUrls = { providerMock: platformUrl(mockUrl) };

      // provider-mock as the reference chart ships it (its configuration names services it never calls)
      const mockValues = await resolveChartValues({
        root,
        release: { name: 'provider-mock', chart: providerMockChart },
        values: { providerMock: (values.providerMock as Values | undefined) ?? {} },
      });
      const services = { gateway: gatewayUrl, controlPlane: gatewayUrl, console: gatewayUrl, identity: gatewayUrl };
      const config = renderConfig('provider-mock', mockValues, services, { host: '127.0.0.1', port: 5432 });
      await writeConfigFile(configDir, 'provider-mock', config);

      const deployments = new Map<WorkloadName, Deployment>();
      for (const [name, door] of doors) {
        deployments.set(
          name,
          new Deployment({
            name,
            door,
            timeline,
            endpointPropagationMs: opts.endpointPropagationMs ?? 1000,
            configFile: path.join(configDir, `${name}.json`),
            secretsFile: secretFiles.json,
            logsDir,
          }),
        );
      }
      stack.push('stop replicas', async () => {
        await Promise.all([...deployments.values()].map((d) => d.stop()));
      });
      const platform = new PackagedPlatform(
        { release, components: [], revisions: new Map() },
        {
          profile,
          root,
          values,
          timeline,
          endpoints,
          platformUrls,
          secrets,
          deployments,
          runDir,
          progressDeadlineMs: (opts.timeouts?.progressDeadlineSeconds ?? 90) * 1000,
          installTimeoutMs,
          stack,
          unregister,
          log,
        },
      );
      const plan = await platform.planOf(release);
      for (const next of opts.prepare ?? []) if (next.name !== release.name) await platform.planOf(next);
      const mock = path.resolve(root, providerMockBundle);
      plan.revisions.set('provider-mock', {
        version: 'baseline',
        bundle: mock,
        settings: platform.settingsOf('provider-mock'),
      });
      platform.plan = plan;
      log.info(`installing ${release.name} of ${profile.name}`, { runDir, ...endpoints });
      const rollouts = [...plan.revisions].map(([w, r]) =>
        rollingUpdate(
          deployments.get(w)!,
          { ...r, number: 1 },
          { progressDeadlineMs: installTimeoutMs, failOnCrash: true },
        ),
      );
      for (const r of rollouts) r.catch(() => undefined);
      await Promise.all(rollouts);
      log.info(`installed ${release.name} of ${profile.name}`);
      return platform;
    } catch (error) {
      log.error(`install of ${release.name} failed; stopping what was started`);
      await stack.dispose(error);
      unregister();
      throw error;
    }
  }

  private settingsOf(w: WorkloadName): WorkloadSettings {
    const all = { gateway: workloadSettings(this.parts.values, 'gateway') } as Record<WorkloadName, WorkloadSettings>;
    all['provider-mock'] = workloadSettings(this.parts.values, 'provider-mock');
    return weighCpu(all)[w];
  }

  /** Each component of the release installed (or found in the cache and verified) and its launch. */
  private async planOf(release: AnyRelease): Promise<PackagedPlan> {
    const { profile, root, log } = this.parts;
    const components = componentNames.filter((c) => release.components[c]);
    const revisions = new Map<WorkloadName, Omit<Revision, 'number'>>();
    for (const c of components) {
      const pin = release.components[c]!;
      const start = profile.start?.[c];
      if (!pin.package || !start) {
        throw new StepFailedError(
          `plan ${release.name}: ${c} has no npm package or no start command in ${profile.dir}`,
        );
      }
      const installed = await installNpmComponent(root, profile.name, pin as typeof pin & { package: NpmPackage }, {
        log,
        timeoutMs: this.parts.installTimeoutMs,
      });
      const vars = {
        node: process.execPath,
        package: installed.packageDir,
        providerMock: this.parts.platformUrls.providerMock,
      };
      const env = Object.fromEntries(Object.entries(start.env).map(([k, v]) => [k, fill(v, vars)]));
      // a node replica listens on loopback only, whatever the product asks (loopback-only.mjs)
      const preload = `--import=${fileURLToPath(new URL('./loopback-only.mjs', import.meta.url))}`;
      env.NODE_OPTIONS = [env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
      const launch: ProcessLaunch = {
        command: start.command.map((a) => fill(a, vars)),
        env,
        readinessPath: start.readiness.httpGet,
      };
      revisions.set(c, { version: pin.version, bundle: installed.dir, launch, settings: this.settingsOf(c) });
    }
    return { release, components, revisions };
  }

  get release(): string {
    return this.plan.release.name;
  }
  get endpoints(): PlatformEndpoints {
    return this.parts.endpoints;
  }
  get platformUrls(): PlatformUrls {
    return this.parts.platformUrls;
  }
  get secrets(): { adminToken: string; adminPassword: string } {
    return this.parts.secrets;
  }
  get timeline(): Timeline {
    return this.parts.timeline;
  }
  get runDir(): string {
    return this.parts.runDir;
  }

  /** The platform keeps no database (its profile declares `database-backup` and `migration-ledger` unsupported). */
  get database(): DatabaseAccess {
    const none = (): never => {
      throw new StepFailedError(`platform ${this.parts.profile.name} keeps no database`);
    };
    return { connectionString: '', host: '', port: 0, query: none, dump: none, restore: none };
  }

  /** The gateway replica a connection from `clientPort` was bound to by the gateway's front door. */
  gatewayReplicaOf(clientPort: number): string | undefined {
    return this.parts.deployments.get('gateway')!.spec.door.replicaOf(clientPort);
  }

  /** The version a replica runs (what its front door's backend says when the product does not). */
  versionOfReplica(id: string): string | undefined {
    for (const d of this.parts.deployments.values()) {
      for (const r of d.replicas.keys()) if (r.id === id) return r.version;
    }
    return undefined;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async rollTo(target: AnyRelease | string, action: string, sink?: TimelineSink): Promise<void> {
    const release =
      typeof target === 'string' ? loadPlatformRelease(target, this.parts.profile, this.parts.root) : target;
    await this.exclusive(async () => {
      this.parts.log.info(`${action} ${this.plan.release.name} → ${release.name}`);
      const plan = await this.planOf(release);
      this.plan = plan;
      const unsubscribe = sink ? this.parts.timeline.subscribe(sink) : undefined;
      try {
        this.revision++;
        const rollouts = plan.components.map((c) =>
          rollingUpdate(
            this.parts.deployments.get(c)!,
            { ...plan.revisions.get(c)!, number: this.revision },
            { progressDeadlineMs: this.parts.progressDeadlineMs },
          ),
        );
        // every rollout runs to its end; the first failure is thrown
        const failed = (await Promise.allSettled(rollouts)).flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
        if (failed.length > 0) throw failed[0];
      } finally {
        unsubscribe?.();
      }
    });
  }

  upgrade(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
    return this.rollTo(release, 'upgrade', timeline);
  }

  rollback(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
    return this.rollTo(release, 'rollback', timeline);
  }

  /**
   * Every replica of each component, identified by the installed tree it runs, hashed on disk now (the product
   * reports no version or digest of its own).
   */
  async components(): Promise<ComponentStatus[]> {
    const digests = new Map<string, Promise<string>>();
    const digestOf = (dir: string) => {
      if (!digests.has(dir))
        digests.set(
          dir,
          treeDigest(dir).then((t) => `sha256:${t.sha256}`),
        );
      return digests.get(dir)!;
    };
    return Promise.all(
      this.plan.components.map(async (c) => {
        const deployment = this.parts.deployments.get(c)!;
        const replicas: ReplicaStatus[] = await Promise.all(
          [...deployment.replicas.keys()].map(async (r) => ({
            id: r.id,
            version: r.version,
            digest: r.pid === undefined ? undefined : await digestOf(r.spec.bundle),
            ready: r.ready,
            phase: r.state.phase,
          })),
        );
        const ready = replicas.filter((r) => r.ready);
        const distinct = (values: (string | undefined)[]) => [...new Set(values.map((v) => v ?? 'unknown'))].join(',');
        return {
          name: c,
          version: distinct(ready.map((r) => r.version)),
          digest: distinct(ready.map((r) => r.digest)),
          readyReplicas: ready.length,
          replicas,
        };
      }),
    );
  }

  async collectLogs(dir: string): Promise<void> {
    const { collectLogs } = await import('./collect-logs.ts');
    await collectLogs(this.parts.runDir, dir);
  }

  /** Pids of every running replica process (tests check that none outlives the platform). */
  pids(): number[] {
    return [...this.parts.deployments.values()].flatMap((d) =>
      [...d.replicas.keys()].flatMap((r) => (r.pid ? [r.pid] : [])),
    );
  }

  /** The ports every running replica listens on (tests check where they listen). */
  ports(): number[] {
    return [...this.parts.deployments.values()].flatMap((d) =>
      [...d.replicas.keys()].flatMap((r) => (r.port !== undefined && r.pid ? [r.port] : [])),
    );
  }

  async dispose(): Promise<void> {
    try {
      await this.parts.stack.dispose();
    } finally {
      this.parts.unregister();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose().catch((error: unknown) => this.parts.log.error((error as Error).message));
  }
}
