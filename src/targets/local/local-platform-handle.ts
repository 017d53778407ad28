import path from 'node:path';
import { BadInputError, StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import type { Timeline } from '../../common/timeline.ts';
import { type AnyRelease, chartRelease, type LoadedRelease, loadRelease } from '../../release/catalog.ts';
import type { ValuesSources } from '../../release/chart-values.ts';
import { componentNames } from '../../release/manifest.ts';
import type {
  BrowserAccess,
  ComponentStatus,
  InstalledPlatform,
  LiveEdit,
  PlatformEndpoints,
  PlatformUrls,
  Straggler,
  TimelineSink,
  WithBrowserAccess,
  WithConnectionReplicas,
  WithLiveEdit,
  WithRestart,
  WithStragglers,
} from '../target.ts';
import { collectLogs } from './collect-logs.ts';
import { componentStatus } from './component-status.ts';
import type { PlatformDatabase } from './database-access.ts';
import type { Deployment } from './deployment.ts';
import { editLive, keepsLiveConfig, readLive } from './live-config.ts';
import { type ArtifactCheck, planRelease, type ReleasePlan } from './release-plan.ts';
import { type DatabaseAddress, renderConfig, type ServiceUrls, writeConfigFile } from './render-config.ts';
import { rollingUpdate } from './rollout.ts';
import type { PlatformSecrets } from './secrets.ts';
import { startStraggler } from './straggler.ts';
import type { WorkloadName } from './workload-settings.ts';

export interface LocalPlatformParts {
  plan: ReleasePlan;
  sources: Omit<ValuesSources, 'release'>;
  artifactCheck: ArtifactCheck;
  timeline: Timeline;
  endpoints: PlatformEndpoints;
  platformUrls: PlatformUrls;
  secrets: PlatformSecrets;
  database: PlatformDatabase;
  deployments: Record<WorkloadName, Deployment>;
  runDir: string;
  configDir: string;
  dbAddress: DatabaseAddress;
  progressDeadlineMs: number;
  stack: TeardownStack;
  unregister: () => void;
  log: Logger;
}

/**
 * A release running as local processes. `upgrade`, `rollback` and `restart` are rolling updates of every
 * Deployment at once (Kubernetes semantics, see rollout.ts); one operation runs at a time.
 */
export class LocalPlatform
  implements InstalledPlatform, WithBrowserAccess, WithLiveEdit, WithRestart, WithStragglers, WithConnectionReplicas
{
  private plan: ReleasePlan;
  private revision = 1;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly parts: LocalPlatformParts) {
    this.plan = parts.plan;
  }

  get release(): string {
    return this.plan.release.name;
  }
  get manifest(): LoadedRelease {
    return this.plan.release;
  }
  get endpoints(): PlatformEndpoints {
    return this.parts.endpoints;
  }
  get platformUrls(): PlatformUrls {
    return this.parts.platformUrls;
  }
  /** The console's front door is on this machine: a browser here signs in by it as is. */
  get browser(): BrowserAccess {
    return { consoleUrl: this.parts.endpoints.console };
  }
  get secrets(): PlatformSecrets {
    return this.parts.secrets;
  }
  get database(): PlatformDatabase {
    return this.parts.database;
  }
  /** The run's temp dir: `config/`, `logs/`, `secrets.json`, `secrets-values.yaml`. */
  get runDir(): string {
    return this.parts.runDir;
  }
  get timeline(): Timeline {
    return this.parts.timeline;
  }

  /** The live ConfigMap file of a component (what a hand edit changes). */
  configFile(component: WorkloadName): string {
    return path.join(this.parts.configDir, `${component}.json`);
  }

  /** The gateway replica a connection from `clientPort` was bound to by the gateway's front door. */
  gatewayReplicaOf(clientPort: number): string | undefined {
    return this.parts.deployments.gateway.spec.door.replicaOf(clientPort);
  }

  /** The version a replica of any component runs, by its id. */
  versionOfReplica(id: string): string | undefined {
    for (const d of Object.values(this.parts.deployments)) {
      for (const r of d.replicas.keys()) if (r.id === id) return r.version;
    }
    return undefined;
  }

  /** A replica of the current release's component outside its Service, ready (see straggler.ts). */
  async startStraggler(component: 'gateway'): Promise<Straggler> {
    const plan = this.plan;
    const straggler = await startStraggler(
      this.parts.deployments[component],
      { version: plan.versions[component], bundle: plan.bundles[component], settings: plan.settings[component] },
      this.parts.progressDeadlineMs,
    );
    this.parts.stack.push(`stop ${straggler.id}`, () => straggler.stop());
    return straggler;
  }

  /** Pids of every running replica process (tests check that none outlives the platform). */
  pids(): number[] {
    return Object.values(this.parts.deployments).flatMap((d) =>
      [...d.replicas.keys()].flatMap((r) => (r.pid ? [r.pid] : [])),
    );
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private resolve(release: AnyRelease | string): LoadedRelease {
    return typeof release === 'string' ? loadRelease(release, this.parts.sources.root) : chartRelease(release);
  }

  private async writeConfigs(plan: ReleasePlan, workloads: readonly WorkloadName[]): Promise<void> {
    const services: ServiceUrls = this.parts.endpoints;
    for (const w of workloads) {
      if (keepsLiveConfig(plan.values, w)) continue; // the file exists: install wrote it
      await writeConfigFile(this.parts.configDir, w, renderConfig(w, plan.values, services, this.parts.dbAddress));
    }
  }

  /** Rolls `workloads` to `plan` at once; every rollout runs to its end, the first failure is thrown. */
  private async roll(plan: ReleasePlan, workloads: readonly WorkloadName[], sink: TimelineSink | undefined) {
    const off = sink ? this.parts.timeline.subscribe(sink) : undefined;
    try {
      await this.writeConfigs(plan, workloads);
      this.revision++;
      const results = await Promise.allSettled(
        workloads.map((w) =>
          rollingUpdate(
            this.parts.deployments[w],
            {
              number: this.revision,
              version: plan.versions[w],
              bundle: plan.bundles[w],
              settings: plan.settings[w],
            },
            { progressDeadlineMs: this.parts.progressDeadlineMs },
          ),
        ),
      );
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failed.length > 0) throw failed[0];
    } finally {
      off?.();
    }
  }

  private async rollTo(release: AnyRelease | string, action: string, sink?: TimelineSink): Promise<void> {
    const target = this.resolve(release);
    await this.exclusive(async () => {
      this.parts.log.info(`${action} ${this.plan.release.name} → ${target.name}`);
      const plan = await planRelease(target, this.parts.sources, this.parts.artifactCheck);
      this.plan = plan;
      await this.roll(plan, componentNames, sink);
      this.parts.log.info(`${action} to ${target.name} complete`);
    });
  }

  upgrade(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
    return this.rollTo(release, 'upgrade', timeline);
  }

  rollback(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
    return this.rollTo(release, 'rollback', timeline);
  }

  /** What `helm upgrade` to the same release does: configuration rendered again, then a rolling restart. */
  restart(component?: string, timeline?: TimelineSink): Promise<void> {
    const all: readonly WorkloadName[] = componentNames;
    const chosen = component === undefined ? all : [component as WorkloadName];
    if (component !== undefined && !(component in this.parts.deployments)) {
      throw new BadInputError(
        `restart: unknown component ${component} (known: ${Object.keys(this.parts.deployments).join(', ')})`,
      );
    }
    return this.exclusive(async () => {
      const plan = await planRelease(this.plan.release, this.parts.sources, this.parts.artifactCheck);
      this.plan = plan;
      await this.roll(plan, chosen, timeline);
    });
  }

  async components(): Promise<ComponentStatus[]> {
    return Promise.all(componentNames.map((c) => componentStatus(this.parts.deployments[c])));
  }

  async editLive(edit: LiveEdit): Promise<void> {
    await editLive(this.configFile(edit.component), edit.component, edit.path, edit.value);
  }

  readLive(component: LiveEdit['component'], dotted: string): Promise<unknown> {
    return readLive(this.configFile(component), dotted);
  }

  async collectLogs(dir: string): Promise<void> {
    await collectLogs(this.parts.runDir, dir);
  }

  /** Stops every replica (SIGTERM, grace, SIGKILL), the front doors and PostgreSQL; removes the run dir. */
  async dispose(): Promise<void> {
    try {
      await this.parts.stack.dispose();
    } catch (error) {
      throw new StepFailedError(`stop local platform: ${(error as Error).message}`, { cause: error });
    } finally {
      this.parts.unregister();
    }
  }

  /**
   * `await using`: a teardown failure is logged, not thrown, so that it can never replace (mask) the error
   * that ended the block. Call `dispose()` to have it thrown.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose().catch((error: unknown) => this.parts.log.error((error as Error).message));
  }
}
