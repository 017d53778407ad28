import { StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import type { Clock } from '../../common/timeline.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import type { PlatformEndpoints, SafetyLimits, TimelineSink } from '../target.ts';
import { collectKubeLogs } from './collect-logs.ts';
import { KubeDatabase } from './database.ts';
import type { ApplyOptions, ConflictPolicy, Helm } from './helm.ts';
import { loadKubeConfig } from './kube-config.ts';
import { KubePlatform } from './kube-platform.ts';
import type { Kubectl } from './kubectl.ts';
import { RolloutWatcher } from './rollout-watcher.ts';
import { ServiceTunnel } from './service-tunnel.ts';

/** The chart's Services by endpoint (all listen on the container port `http`, 8080). */
export const servicesOf: Record<keyof PlatformEndpoints, string> = {
  gateway: 'gateway',
  controlPlane: 'control-plane',
  console: 'console',
  identity: 'identity',
  providerMock: 'provider-mock',
};
const containerPort = 8080;

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
}

/**
 * Connects the harness to a release on a cluster: informers on the namespace, then (kind) the install,
 * then a loopback tunnel per Service and one to PostgreSQL. Everything opened is pushed on `stack`.
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
  const tunnels = {} as Record<keyof PlatformEndpoints, ServiceTunnel>;
  o.stack.push('close service tunnels', async () => {
    await Promise.all(Object.values(tunnels).map((t) => t.close()));
  });
  for (const [key, service] of Object.entries(servicesOf) as [keyof PlatformEndpoints, string][]) {
    tunnels[key] = await ServiceTunnel.open({
      service,
      remotePort: containerPort,
      namespace,
      context: o.context,
      timeoutMs: 15_000,
      log: o.log,
    });
  }
  const follow = () => {
    for (const [key, service] of Object.entries(servicesOf) as [keyof PlatformEndpoints, string][]) {
      void tunnels[key].update(watcher.readyPods(service));
    }
  };
  const unfollow = watcher.onEndpoints(follow);
  o.stack.push('stop following endpoints', async () => {
    unfollow();
  });
  follow();
  await waitForEndpoints(watcher, o.readyTimeoutMs);
  const database = await KubeDatabase.open({
    namespace,
    context: o.context,
    ...o.postgresql,
    password: o.secrets.databasePassword,
    timeoutMs: 15_000,
    beforeRestore: () => {
      if (o.limits && !o.limits.restore.allowed) throw new StepFailedError(`restore: ${o.limits.restore.reason}`);
    },
  });
  o.stack.push('close database tunnel', () => database.close());
  const endpoints = Object.fromEntries(
    Object.entries(tunnels).map(([k, t]) => [k, t.url]),
  ) as unknown as PlatformEndpoints;
  return new KubePlatform({
    ...o,
    watcher,
    endpoints,
    database,
    secrets: { adminToken: o.secrets.adminToken, adminPassword: o.secrets.adminPassword },
    records: [],
    collect: (dir) => collectKubeLogs(o.kubectl, watcher.pods(), dir, o.log).then(() => undefined),
  });
}

async function waitForEndpoints(watcher: RolloutWatcher, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const empty = Object.values(servicesOf).filter((s) => watcher.readyPods(s).size === 0);
    if (empty.length === 0) return;
    if (Date.now() > deadline) {
      throw new StepFailedError(`connect: no ready endpoint for ${empty.join(', ')} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
