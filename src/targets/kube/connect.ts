import { type HarnessUrl, type PlatformUrl, platformUrl } from '../../common/addresses.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import type { Clock } from '../../common/timeline.ts';
import { waitFor } from '../../common/wait-for.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import type { HarnessFaultSink } from '../../report/harness-fault.ts';
import type { SafetyLimits } from '../safety.ts';
import type { BrowserAccess, PlatformEndpoints, TimelineSink } from '../target.ts';
import { collectKubeLogs } from './collect-logs.ts';
import { KubeDatabase } from './database.ts';
import type { ApplyOptions, ConflictPolicy, Helm } from './helm.ts';
import { loadKubeConfig } from './kube-config.ts';
import { KubePlatform } from './kube-platform.ts';
import type { Kubectl } from './kubectl.ts';
import { reachByTunnels, servicesOf } from './reach-tunnels.ts';
import { RolloutWatcher } from './rollout-watcher.ts';

export interface ConnectOptions {
  target: 'kind' | 'cluster';
  root: string;
  release: LoadedRelease;
  context: string | undefined;
  helm: Helm;
  kubectl: Kubectl;
  secrets: { adminToken: string; adminPassword: string; databasePassword: string };
  postgresql: { database: string; user: string };
  prepare: (release: LoadedRelease) => Promise<ApplyOptions>;
  imageAliases: () => Promise<ReadonlyMap<string, string>>;
  conflictPolicy: ConflictPolicy;
  limits?: SafetyLimits;
  collectExtra?: (dir: string) => Promise<void>;
  extraLogsAlways?: boolean;
  clock: Clock;
  stack: TeardownStack;
  log: Logger;
  /** Install events go here (the watcher starts before `install`). */
  timeline?: TimelineSink;
  /** `helm install` (kind); omitted when the release is already there (cluster). */
  install?: (platformTimeline: TimelineSink | undefined) => Promise<void>;
  /** Deadline for tunnels to find a ready pod of every Service. */
  readyTimeoutMs: number;
  /** Deadline for one tunnel (the database's) to open (`timeouts.tunnelSeconds`). */
  tunnelTimeoutMs: number;
  /**
   * kind: the Services are published on the harness's machine (NodePorts + extraPortMappings), so the harness
   * reaches them as real clients do, through kube-proxy, and no tunnel is opened. Absent: tunnels.
   */
  published?: PublishedAddresses;
  /** A lost tunnel (cluster target) is reported here: a fault of the harness, never a dropped request. */
  harnessFault?: HarnessFaultSink;
  /**
   * cluster: addresses the user gave, reached without a tunnel (`--gateway-url`: their ingress or load
   * balancer; `--provider-url`: the upstream seeded providers call, so no provider-mock Service is needed).
   */
  given?: { gateway?: HarnessUrl; providerUrl?: PlatformUrl };
}

/** Addresses of a platform whose Services are published on the harness's machine. */
export interface PublishedAddresses {
  endpoints: PlatformEndpoints;
  database: { host: string; port: number };
  browser?: BrowserAccess;
}

/**
 * Connects the harness to a release on a cluster: informers on the namespace, then (kind) the install,
 * then the harness's way in: the Services published on its machine (kind), or a loopback tunnel per Service and
one to PostgreSQL (an existing cluster). Everything opened is pushed on `stack`.
 */
export async function connectPlatform(o: ConnectOptions): Promise<KubePlatform> {
  const namespace = o.helm.release.namespace;
  const watcher = new RolloutWatcher(loadKubeConfig(o.context), namespace, o.clock, o.log.child('watch'));
  o.stack.push('stop informers', () => watcher.stop());
  await watcher.start();
  const off = o.timeline ? watcher.subscribe(o.timeline) : undefined;
  try {
    await o.install?.(o.timeline);
  } finally {
    off?.();
  }
  const endpoints =
    o.published?.endpoints ??
    (await reachByTunnels({
      namespace,
      context: o.context,
      watcher,
      stack: o.stack,
      log: o.log,
      harnessFault: o.harnessFault,
      skip: skipped(o.given),
    }));
  if (o.given?.gateway) endpoints.gateway = o.given.gateway;
  await waitForEndpoints(watcher, o.readyTimeoutMs, skipped(o.given));
  const database = await KubeDatabase.open({
    namespace,
    context: o.context,
    ...o.postgresql,
    password: o.secrets.databasePassword,
    timeoutMs: o.tunnelTimeoutMs,
    published: o.published?.database,
    onLost: (reason) => o.harnessFault?.({ source: 'kube-tunnel', reason }),
    beforeRestore: () => {
      if (o.limits && !o.limits.restore.allowed) throw new StepFailedError(`restore: ${o.limits.restore.reason}`);
    },
  });
  o.stack.push('close database access', () => database.close());
  return new KubePlatform({
    ...o,
    watcher,
    endpoints,
    // what the platform's pods reach: the chart's in-cluster Service name (templates/_helpers.tpl serviceHost)
    platformUrls: {
      providerMock: o.given?.providerUrl ?? platformUrl(`http://provider-mock.${namespace}.svc.cluster.local`),
    },
    browser: o.published?.browser,
    database,
    secrets: { adminToken: o.secrets.adminToken, adminPassword: o.secrets.adminPassword },
    records: [],
    collect: (dir) => collectKubeLogs(o.kubectl, watcher.pods(), dir, o.log).then(() => undefined),
  });
}

/** Services the harness does not tunnel to: the ones the user gave an address for. */
function skipped(given: ConnectOptions['given']): (keyof PlatformEndpoints)[] {
  return [...(given?.gateway ? ['gateway' as const] : []), ...(given?.providerUrl ? ['providerMock' as const] : [])];
}

function waitForEndpoints(
  watcher: RolloutWatcher,
  timeoutMs: number,
  skip: readonly (keyof PlatformEndpoints)[],
): Promise<void> {
  const services = (Object.entries(servicesOf) as [keyof PlatformEndpoints, string][])
    .filter(([key]) => !skip.includes(key))
    .map(([, s]) => s);
  const empty = () => services.filter((svc) => watcher.readyPods(svc).size === 0);
  return waitFor(
    `a ready endpoint for every Service (${empty().join(', ')} have none yet)`,
    async () => empty().length === 0,
    timeoutMs,
    250,
  );
}
