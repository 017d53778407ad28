import { commandLine } from '../../common/command.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import { type LoadedRelease, loadRelease } from '../../release/catalog.ts';
import { componentNames } from '../../release/manifest.ts';
import type {
  ApplyRecord,
  BrowserAccess,
  ComponentStatus,
  InstalledPlatform,
  LiveEdit,
  PlatformEndpoints,
  PlatformUrls,
  SafetyLimits,
  TimelineSink,
  WithApplyRecords,
  WithBrowserAccess,
  WithLiveEdit,
  WithRestart,
} from '../target.ts';
import { componentStatuses } from './component-status.ts';
import type { KubeDatabase } from './database.ts';
import { type ApplyOptions, type ConflictPolicy, type Helm, helmApplyArgs, helmRollbackArgs } from './helm.ts';
import { rollbackRevision } from './history.ts';
import type { Kubectl } from './kubectl.ts';
import { configKey, configMapOf, editedConfigJson, readDotted } from './live-edit.ts';
import type { RolloutWatcher } from './rollout-watcher.ts';

export interface KubePlatformParts {
  target: 'kind' | 'cluster';
  release: LoadedRelease;
  root: string;
  helm: Helm;
  kubectl: Kubectl;
  watcher: RolloutWatcher;
  endpoints: PlatformEndpoints;
  platformUrls: PlatformUrls;
  /** kind: the console's public URL and the resolver rules a browser here needs; undefined on a cluster. */
  browser?: BrowserAccess;
  secrets: { adminToken: string; adminPassword: string };
  database: KubeDatabase;
  /** Values files and chart of a release (writes `values-<release>.yaml`, packages the chart). */
  prepare: (release: LoadedRelease) => Promise<ApplyOptions>;
  /** Node image tables' digest aliases (kind-loaded images); empty where a registry serves the digests. */
  imageAliases: () => Promise<ReadonlyMap<string, string>>;
  conflictPolicy: ConflictPolicy;
  limits?: SafetyLimits;
  /** Heavy target-specific logs (kind: `kind export logs`): after a failed operation, or always with `extraLogsAlways` (--keep). */
  collectExtra?: (dir: string) => Promise<void>;
  extraLogsAlways?: boolean;
  collect: (dir: string) => Promise<void>;
  records: ApplyRecord[];
  /** The run's clock (the ledger's), for the rollout-started/complete frames. */
  clock: () => number;
  stack: TeardownStack;
  log: Logger;
}

/**
 * A release installed with Helm on a Kubernetes cluster (kind or an existing one): upgrade, rollback and
 * restart are `helm upgrade`/`rollback` with layered values, watched by informers into the timeline;
 * one operation runs at a time.
 */
export class KubePlatform implements InstalledPlatform, WithBrowserAccess, WithLiveEdit, WithRestart, WithApplyRecords {
  private current: LoadedRelease;
  private busy: Promise<unknown> = Promise.resolve();
  /** An install, upgrade or rollback failed: log collection then includes the heavy target logs. */
  private failed = false;

  constructor(private readonly parts: KubePlatformParts) {
    this.current = parts.release;
  }

  get release(): string {
    return this.current.name;
  }
  get endpoints(): PlatformEndpoints {
    return this.parts.endpoints;
  }
  get platformUrls(): PlatformUrls {
    return this.parts.platformUrls;
  }
  get browser(): BrowserAccess | undefined {
    return this.parts.browser;
  }
  get secrets() {
    return this.parts.secrets;
  }
  get database(): KubeDatabase {
    return this.parts.database;
  }
  get limits(): SafetyLimits | undefined {
    return this.parts.limits;
  }

  applyRecords(): readonly ApplyRecord[] {
    return this.parts.records;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => {
      this.failed = true;
    });
    return next;
  }

  private resolve(release: LoadedRelease | string): LoadedRelease {
    return typeof release === 'string' ? loadRelease(release, this.parts.root) : release;
  }

  /** Runs one helm operation with the watcher's events going to `sink`, framed by rollout-started/complete. */
  private async watched<T>(release: LoadedRelease, sink: TimelineSink | undefined, work: () => Promise<T>): Promise<T> {
    const off = sink ? this.parts.watcher.subscribe(sink) : undefined;
    const frame = (kind: 'rollout-started' | 'rollout-complete', detail: Record<string, unknown>) => {
      for (const c of componentNames) {
        sink?.({
          t: this.parts.clock(),
          kind,
          component: c,
          replica: '',
          version: release.components[c].version,
          detail,
        });
      }
    };
    try {
      frame('rollout-started', { from: this.current.name });
      const result = await work();
      frame('rollout-complete', { release: release.name });
      return result;
    } finally {
      off?.();
    }
  }

  private async applyUpgrade(target: LoadedRelease, action: 'upgrade', sink?: TimelineSink): Promise<void> {
    const opts = await this.parts.prepare(target);
    const started = Date.now();
    const conflicts = await this.parts.helm.upgradeConflicts(opts);
    const force = this.parts.conflictPolicy === 'force';
    if (conflicts.length > 0) {
      const list = conflicts.map((c) => `${c.manager} owns ${c.field}`).join('; ');
      if (!force)
        throw new StepFailedError(`${action} to ${target.name}: server-side apply conflicts (${list}); policy is fail`);
      this.parts.log.warn(`${action} to ${target.name}: overriding field-manager conflicts (the chart wins): ${list}`);
    }
    const full = { ...opts, forceConflicts: force };
    await this.watched(target, sink, () => this.parts.helm.upgrade(full));
    this.current = target;
    this.parts.records.push({
      action,
      release: target.name,
      command: commandLine('helm', helmApplyArgs('upgrade', this.parts.helm.release, full)),
      conflicts,
      forcedConflicts: force,
      durationMs: Date.now() - started,
    });
  }

  upgrade(release: LoadedRelease | string, timeline?: TimelineSink): Promise<void> {
    const target = this.resolve(release);
    return this.exclusive(() => this.applyUpgrade(target, 'upgrade', timeline));
  }

  rollback(release: LoadedRelease | string, timeline?: TimelineSink): Promise<void> {
    const target = this.resolve(release);
    return this.exclusive(async () => {
      const limit = this.parts.limits?.rollback;
      if (limit && !limit.allowed) throw new StepFailedError(`rollback to ${target.name}: ${limit.reason}`);
      const revision = rollbackRevision(await this.parts.helm.history(), target.chart.version);
      const { timeoutSeconds } = await this.parts.prepare(target);
      const force = this.parts.conflictPolicy === 'force';
      const started = Date.now();
      await this.watched(target, timeline, () => this.parts.helm.rollback(revision, timeoutSeconds, force));
      this.current = target;
      this.parts.records.push({
        action: 'rollback',
        release: target.name,
        command: commandLine('helm', helmRollbackArgs(this.parts.helm.release, revision, timeoutSeconds, force)),
        conflicts: [],
        forcedConflicts: force,
        durationMs: Date.now() - started,
      });
    });
  }

  /** `helm upgrade` to the running release: configuration rendered from the values again (hand edits undone). */
  restart(_component?: string, timeline?: TimelineSink): Promise<void> {
    return this.exclusive(() => this.applyUpgrade(this.current, 'upgrade', timeline));
  }

  async components(): Promise<ComponentStatus[]> {
    return componentStatuses(this.parts.watcher.pods(), this.current, await this.parts.imageAliases());
  }

  private async configJson(component: string): Promise<string> {
    const cm = await this.parts.kubectl.getJson<{ data?: Record<string, string> }>('configmap', configMapOf(component));
    const text = cm.data?.[configKey];
    if (text === undefined)
      throw new StepFailedError(`read live config: configmap/${configMapOf(component)} has no ${configKey}`);
    return text;
  }

  async editLive(edit: LiveEdit): Promise<void> {
    const edited = editedConfigJson(await this.configJson(edit.component), edit.component, edit.path, edit.value);
    await this.parts.kubectl.patchConfigMapData(configMapOf(edit.component), { [configKey]: edited });
  }

  async readLive(component: LiveEdit['component'], path: string): Promise<unknown> {
    return readDotted(JSON.parse(await this.configJson(component)), path);
  }

  async collectLogs(dir: string): Promise<void> {
    await this.parts.collect(dir);
    if (!this.failed && !this.parts.extraLogsAlways) return;
    await this.parts.collectExtra?.(dir).catch((error: unknown) => this.parts.log.warn((error as Error).message));
  }

  async dispose(): Promise<void> {
    await this.parts.stack.dispose();
  }

  /** `await using`: teardown failures are logged, never thrown over the error that ended the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose().catch((error: unknown) => this.parts.log.error((error as Error).message));
  }
}
