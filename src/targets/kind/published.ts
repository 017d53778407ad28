import { harnessUrl } from '../../common/addresses.ts';
import type { Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import type { PublishedAddresses } from '../kube/connect.ts';

const workloads = {
  gateway: 'gateway',
  controlPlane: 'controlPlane',
  console: 'console',
  identity: 'identity',
  providerMock: 'providerMock',
} as const;

function nodePortOf(values: Values, key: string): number {
  const service = ((values[key] as Values | undefined)?.service ?? {}) as { type?: string; nodePort?: number };
  if (service.type !== 'NodePort' || !Number.isInteger(service.nodePort)) {
    throw new BadInputError(`kind values: ${key}.service must be a NodePort with a fixed nodePort (kind/values.yaml)`, {
      field: `${key}.service`,
    });
  }
  return service.nodePort as number;
}

/**
 * How the harness reaches a kind platform: each Service's NodePort, which kind/<topology>.yaml maps to the same
 * port on 127.0.0.1 (extraPortMappings), so load, seeding and checks go host → node → kube-proxy → a ready
 * pod, the path a real client takes; no kubectl port-forward (Envoy AI Gateway's upgrade e2e avoids them for
 * the same reason: "to avoid the complexity in maintaining non-racy port-forward assignment logic",
 * envoyproxy/ai-gateway tests/e2e-upgrade/upgrade_test.go @c217da8a). The browser starts at the console's public
 * URL, its public names mapped to 127.0.0.1 by Chromium's resolver rules (the ports are the same NodePorts).
 */
export function publishedAddresses(values: Values): PublishedAddresses {
  const local = (key: string) => harnessUrl(`http://127.0.0.1:${nodePortOf(values, key)}`);
  const endpoints = {
    gateway: local(workloads.gateway),
    controlPlane: local(workloads.controlPlane),
    console: local(workloads.console),
    identity: local(workloads.identity),
    providerMock: local(workloads.providerMock),
  };
  const consolePublic = (values.publicUrls as { console?: string } | undefined)?.console;
  const hosts = ['console', 'identity']
    .map((k) => (values.publicUrls as Record<string, string | undefined> | undefined)?.[k])
    .filter((u): u is string => Boolean(u))
    .map((u) => new URL(u).hostname);
  return {
    endpoints,
    database: { host: '127.0.0.1', port: nodePortOf(values, 'postgresql') },
    browser: consolePublic
      ? {
          consoleUrl: harnessUrl(consolePublic),
          hostResolverRules: hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', '),
        }
      : { consoleUrl: endpoints.console },
  };
}
