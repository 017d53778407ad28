import { harnessUrl } from '../../common/addresses.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import type { HarnessFaultSink } from '../../report/harness-fault.ts';
import type { PlatformEndpoints } from '../target.ts';
import type { RolloutWatcher } from './rollout-watcher.ts';
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

export interface TunnelReach {
  namespace: string;
  context: string | undefined;
  watcher: RolloutWatcher;
  stack: TeardownStack;
  log: Logger;
  /** A tunnel lost while its pod is still ready is upcert's fault, not the platform's (verdict inconclusive). */
  harnessFault?: HarnessFaultSink;
  /** Services not to tunnel to (the user gave their address); their endpoint is left empty for the caller. */
  skip?: readonly (keyof PlatformEndpoints)[];
}

/**
 * Where no Service is published to the harness's machine (an existing cluster): one loopback L4 front door per
 * Service over a `kubectl port-forward` per ready pod, following the EndpointSlices. Everything opened is
 * pushed on `stack`.
 */
export async function reachByTunnels(o: TunnelReach): Promise<PlatformEndpoints> {
  const tunnels = {} as Record<keyof PlatformEndpoints, ServiceTunnel>;
  o.stack.push('close service tunnels', async () => {
    await Promise.all(Object.values(tunnels).map((t) => t.close()));
  });
  const wanted = (Object.entries(servicesOf) as [keyof PlatformEndpoints, string][]).filter(
    ([key]) => !o.skip?.includes(key),
  );
  for (const [key, service] of wanted) {
    tunnels[key] = await ServiceTunnel.open({
      service,
      remotePort: containerPort,
      namespace: o.namespace,
      context: o.context,
      timeoutMs: 15_000,
      log: o.log,
      stillReady: (pod) => o.watcher.readyPods(service).has(pod),
      onLost: (reason) => o.harnessFault?.({ source: 'kube-tunnel', reason }),
    });
  }
  const follow = () => {
    for (const [key, service] of wanted) {
      void tunnels[key].update(o.watcher.readyPods(service));
    }
  };
  const unfollow = o.watcher.onEndpoints(follow);
  o.stack.push('stop following endpoints', async () => {
    unfollow();
  });
  follow();
  const none = harnessUrl('http://not-tunnelled.invalid');
  return Object.fromEntries(
    Object.keys(servicesOf).map((k) => [
      k,
      tunnels[k as keyof PlatformEndpoints] ? harnessUrl(tunnels[k as keyof PlatformEndpoints].url) : none,
    ]),
  ) as unknown as PlatformEndpoints;
}
