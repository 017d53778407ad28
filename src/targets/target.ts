import type { HarnessUrl, PlatformUrl } from '../common/addresses.ts';
import type { EventSink } from '../common/rollout-event.ts';
import type { AnyRelease } from '../release/catalog.ts';

/**
 * A target (DESIGN.md "Targets"): installs a release and hands back the running platform. Optional
 * abilities are separate interfaces (`WithLiveEdit`, `WithRestart`, ...), checked with the type guards
 * below rather than with `if (target === 'kind')` branches.
 */
export interface Target {
  readonly name: 'local' | 'kind' | 'cluster';
  install(release: AnyRelease, opts?: InstallOptions): Promise<InstalledPlatform>;
}

export interface InstallOptions {
  /** Rollout events of the install (the same stream `upgrade` and `rollback` write to). */
  timeline?: TimelineSink;
}

/** How a target identifies what runs: the artifact's sha256 (local processes) or the image digest (Kubernetes). */
export type DigestKind = 'artifact' | 'image';

/**
 * Where the harness reaches the platform's services from its own machine (local: 127.0.0.1 front doors;
 * kind: 127.0.0.1 NodePorts published by extraPortMappings; cluster: port-forward tunnels). Never hand
 * one to the platform: see `PlatformUrls`.
 */
export interface PlatformEndpoints {
  gateway: HarnessUrl;
  controlPlane: HarnessUrl;
  /** The console as the browser reaches it (kind: its public URL, e.g. http://console.upcert.test:30082). */
  console: HarnessUrl;
  identity: HarnessUrl;
  /** The mock upstream LLM (not part of a release). */
  providerMock: HarnessUrl;
}

/** How a browser on the harness's machine reaches the console for sign-in (`console-sign-in`). */
export interface BrowserAccess {
  /** Where sign-in starts: the console's public URL (the redirect URI and cookies are on its host). */
  consoleUrl: HarnessUrl;
  /**
   * Chromium `--host-resolver-rules` that make the public names resolve on this machine (kind:
   * `MAP console.upcert.test 127.0.0.1, MAP identity.upcert.test 127.0.0.1`); absent when they resolve already.
   */
  hostResolverRules?: string;
}

/** A platform a browser on the harness's machine can sign in to; without it `console-sign-in` is not-supported. */
export interface WithBrowserAccess {
  readonly browser: BrowserAccess | undefined;
}

export function browserAccessOf(p: InstalledPlatform): BrowserAccess | undefined {
  return (p as Partial<WithBrowserAccess>).browser;
}

/** Where the platform's own processes reach a service: what seeded configuration may point them at. */
export interface PlatformUrls {
  /** The mock upstream LLM, as gateway replicas call it (seeded providers' `baseUrl`). */
  providerMock: PlatformUrl;
}

export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface DatabaseAccess {
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  query: Query;
  /** `pg_dump -Fc` of the platform database. */
  dump(file: string, timeoutMs: number, opts?: { schemas?: readonly string[] }): Promise<void>;
  /** Restores a dump made by `dump` over the live database. */
  restore(file: string, timeoutMs: number): Promise<void>;
}

export interface ReplicaStatus {
  id: string;
  version: string;
  /** `sha256:<hex>` from the replica's `/version`; undefined when it did not answer. */
  digest: string | undefined;
  ready: boolean;
  phase: string;
}

/** What runs of one component (`release-pinned`): version and digest agree across ready replicas or list both. */
export interface ComponentStatus {
  name: string;
  /** The one version every ready replica reports; distinct versions joined by `,` when they differ. */
  version: string;
  digest: string;
  readyReplicas: number;
  replicas: ReplicaStatus[];
}

/** Where a target writes its rollout events (the run's timeline). */
export type TimelineSink = EventSink;

export interface InstalledPlatform extends AsyncDisposable {
  /** Name of the release running now (after install, upgrade or rollback). */
  readonly release: string;
  readonly endpoints: PlatformEndpoints;
  readonly platformUrls: PlatformUrls;
  readonly secrets: { adminToken: string; adminPassword: string };
  readonly database: DatabaseAccess;
  upgrade(release: AnyRelease | string, timeline?: TimelineSink): Promise<void>;
  rollback(release: AnyRelease | string, timeline?: TimelineSink): Promise<void>;
  components(): Promise<ComponentStatus[]>;
  collectLogs(dir: string): Promise<void>;
}

/** A chart-owned setting changed on the live system, outside the values (a ConfigMap edit). */
export interface LiveEdit {
  component: 'gateway' | 'control-plane' | 'console' | 'identity';
  /** Dotted path in the rendered configuration, e.g. `gateway.maxRequestBytes`. */
  path: string;
  value: unknown;
}

export interface WithLiveEdit {
  editLive(edit: LiveEdit): Promise<void>;
  /** Reads the live value at the same path (to prove the edit landed, and later that it was reset). */
  readLive(component: LiveEdit['component'], path: string): Promise<unknown>;
  /** Puts back a hand edit that no upgrade has rendered away yet (a run stopped early); the components reverted. */
  revertLiveEdits?(): Promise<string[]>;
}

export interface WithRestart {
  /** Rolling restart with configuration rendered again from the values (`helm upgrade` to the same release). */
  restart(component?: string, timeline?: TimelineSink): Promise<void>;
}

export function canEditLive(p: InstalledPlatform): p is InstalledPlatform & WithLiveEdit {
  return typeof (p as Partial<WithLiveEdit>).editLive === 'function';
}

export function canRestart(p: InstalledPlatform): p is InstalledPlatform & WithRestart {
  return typeof (p as Partial<WithRestart>).restart === 'function';
}

/** What one `helm upgrade`/`rollback` did: the command, and the field-manager conflicts it met and overrode. */
export interface ApplyRecord {
  action: 'install' | 'upgrade' | 'rollback';
  release: string;
  command: string;
  /**
   * Server-side apply conflicts found before applying, from the live objects' managedFields (e.g. a `kubectl`
   * hand edit): the object, the manager that owns the field, the field.
   */
  conflicts: { kind?: string; name?: string; manager: string; field: string }[];
  /** `--force-conflicts` was used: the chart's values won over the hand edit. */
  forcedConflicts: boolean;
  durationMs: number;
}

export interface WithApplyRecords {
  /** Every apply of the platform's life, in order (evidence of the install, upgrade and rollback steps). */
  applyRecords(): readonly ApplyRecord[];
}

export function canReportApplies(p: InstalledPlatform): p is InstalledPlatform & WithApplyRecords {
  return typeof (p as Partial<WithApplyRecords>).applyRecords === 'function';
}

/** A replica of the running release outside its Service, reached directly (see `WithStragglers`). */
export interface Straggler extends AsyncDisposable {
  id: string;
  version: string;
  /** Its own address, on loopback. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A target that can keep a replica of release N running through an upgrade, outside the Service: the
 * version-skew window of a rollout (N's gateways against N+1's control plane and schema), held open on
 * purpose so that a check can exercise it whatever the rollout's timing.
 */
export interface WithStragglers {
  startStraggler(component: 'gateway'): Promise<Straggler>;
}

export function canKeepStragglers(p: InstalledPlatform): p is InstalledPlatform & WithStragglers {
  return typeof (p as Partial<WithStragglers>).startStraggler === 'function';
}

/**
 * A target that knows which replica each connection to a Service went to (the local front door does; a
 * kube-proxy Service does not tell): a connection-level failure can then name the replica it was bound to.
 */
export interface WithConnectionReplicas {
  /** The gateway replica the connection from local port `clientPort` was bound to. */
  gatewayReplicaOf(clientPort: number): string | undefined;
  /** The version a replica runs, by its id (what the front door's backend says when the product sends no header). */
  versionOfReplica(id: string): string | undefined;
}

export function knowsConnectionReplicas(p: InstalledPlatform): p is InstalledPlatform & WithConnectionReplicas {
  return typeof (p as Partial<WithConnectionReplicas>).gatewayReplicaOf === 'function';
}
