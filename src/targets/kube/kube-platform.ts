import { commandLine } from '../../common/command.ts';
import { readDotted } from '../../common/dotted-path.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import { type AnyRelease, chartRelease, type LoadedRelease, loadRelease } from '../../release/catalog.ts';
import { componentNames } from '../../release/manifest.ts';
import type { SafetyLimits } from '../safety.ts';
import type {
  ApplyRecord,
  BrowserAccess,
  ComponentStatus,
  InstalledPlatform,
  LiveEdit,
  PlatformEndpoints,
  PlatformUrls,
  TimelineSink,
  WithApplyRecords,
  WithBrowserAccess,
  WithLiveEdit,
  WithRestart,
} from '../target.ts';
import { componentStatuses } from './component-status.ts';
import { decideConflicts } from './conflict-decision.ts';
import type { KubeDatabase } from './database.ts';
import {
  type ApplyOptions,
  type ConflictPolicy,
  type Helm,
  helmApplyArgs,
  helmRollbackArgs,
  settleHelm,
} from './helm.ts';
import { deployedRevision, rollbackRevision } from './history.ts';
import type { Kubectl } from './kubectl.ts';
import { configKey, configMapOf, editedConfigJson } from './live-edit.ts';
import type { RolloutWatcher } from './rollout-watcher.ts';
import { recordedConflict, upgradeConflicts } from './upgrade-conflicts.ts';

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
  /** Hand edits not yet rendered away by an upgrade: the ConfigMap text before and after each. */
  private readonly pendingEdits = new Map<string, { original: string; edited: string }>();

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

  private resolve(release: AnyRelease | string): LoadedRelease {
    return typeof release === 'string' ? loadRelease(release, this.parts.root) : chartRelease(release);
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
    const conflicts = await upgradeConflicts(this.parts.helm, this.parts.kubectl, opts);
    const decision = decideConflicts(conflicts, this.parts.conflictPolicy);
    if (decision.refused) throw new StepFailedError(`${action} to ${target.name}: ${decision.refused}`);
    const force = decision.force;
    if (force) {
      const list = conflicts.map((c) => `${c.manager} owns ${c.kind}/${c.name} ${c.field}`).join('; ');
      this.parts.log.warn(`${action} to ${target.name}: overriding field-manager conflicts (the chart wins): ${list}`);
    }
    const full = { ...opts, forceConflicts: force };
    const deployed = deployedRevision(await this.parts.helm.history());
    try {
      await this.watched(target, sink, () => this.parts.helm.upgrade(full));
    } catch (error) {
      throw await this.afterFailedUpgrade(error, deployed, opts.timeoutSeconds);
    }
    // the chart rendered every ConfigMap again: nothing of the hand edit is left to revert
    this.pendingEdits.clear();
    this.current = target;
    this.parts.records.push({
      action,
      release: target.name,
      command: commandLine('helm', helmApplyArgs('upgrade', this.parts.helm.release, full)),
      conflicts: conflicts.map(recordedConflict),
      forcedConflicts: force,
      durationMs: Date.now() - started,
    });
  }

  /**
   * A failed `helm upgrade` leaves the release as helm left it (Helm 4 marks the revision failed; nothing is
   * rolled back unless asked): the error says the exact rollback command, and with --allow-destructive
   * (`limits.rollback.allowed`) the rollback runs.
   */
  private async afterFailedUpgrade(error: unknown, revision: number | undefined, timeoutSeconds: number) {
    if (revision === undefined) return error;
    const args = helmRollbackArgs(this.parts.helm.release, revision, timeoutSeconds, false);
    const command = commandLine('helm', args);
    // only a target with declared limits that allow it (cluster + --allow-destructive) rolls back by itself
    const allowed = this.parts.limits?.rollback.allowed ?? false;
    const message = (error as Error).message;
    if (!allowed)
      return new StepFailedError(`${message}\nthe release is left as helm left it; to roll back: ${command}`, {
        cause: error,
      });
    try {
      await this.parts.helm.rollback(revision, timeoutSeconds, false);
      return new StepFailedError(`${message}\nrolled back to revision ${revision} (--allow-destructive): ${command}`, {
        cause: error,
      });
    } catch (rollbackError) {
      return new StepFailedError(
        `${message}\nthe rollback failed too (${(rollbackError as Error).message}); to retry: ${command}`,
        { cause: error },
      );
    }
  }

  upgrade(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
    const target = this.resolve(release);
    return this.exclusive(() => this.applyUpgrade(target, 'upgrade', timeline));
  }

  rollback(release: AnyRelease | string, timeline?: TimelineSink): Promise<void> {
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
    const original = await this.configJson(edit.component);
    const edited = editedConfigJson(original, edit.component, edit.path, edit.value);
    if (this.pendingEdits.size === 0)
      this.parts.stack.push('revert the hand edit', async () => {
        await this.revertLiveEdits();
      });
    this.pendingEdits.set(edit.component, { original, edited });
    await this.parts.kubectl.patchConfigMapData(configMapOf(edit.component), { [configKey]: edited });
  }

  /**
   * Puts back what a hand edit changed when the run stopped before an upgrade rendered the ConfigMap again
   * (a failed step, Ctrl-C): only while the live text is still upcert's edit, so that nobody else's change
   * is undone. Returns the components reverted.
   */
  async revertLiveEdits(): Promise<string[]> {
    const reverted: string[] = [];
    for (const [component, { original, edited }] of this.pendingEdits) {
      const live = await this.configJson(component);
      if (live === edited) {
        await this.parts.kubectl.patchConfigMapData(configMapOf(component), { [configKey]: original });
        reverted.push(component);
        this.parts.log.info(
          `hand edit of configmap/${configMapOf(component)} reverted (the run stopped before the upgrade)`,
        );
      }
      this.pendingEdits.delete(component);
    }
    return reverted;
  }

  async readLive(component: LiveEdit['component'], path: string): Promise<unknown> {
    return readDotted(JSON.parse(await this.configJson(component)), path);
  }

  async collectLogs(dir: string): Promise<void> {
    await this.parts.collect(dir);
    if (!this.failed && !this.parts.extraLogsAlways) return;
    await this.parts.collectExtra?.(dir).catch((error: unknown) => this.parts.log.warn((error as Error).message));
  }

  /** A helm operation still running ends first (an interrupt: helm.ts `settleHelm`), then everything else goes. */
  async dispose(): Promise<void> {
    await settleHelm(this.parts.helm, this.parts.log);
    await this.parts.stack.dispose();
  }

  /** `await using`: teardown failures are logged, never thrown over the error that ended the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose().catch((error: unknown) => this.parts.log.error((error as Error).message));
  }
}
