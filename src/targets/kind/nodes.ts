import { EnvironmentError } from '../../common/errors.ts';
import { parseSemver } from '../kube/tool-versions.ts';

/**
 * `kubectl get nodes -o jsonpath=...` printing one `<name> <kubeletVersion>` per line
 * (NodeSystemInfo.kubeletVersion, https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/).
 */
export const nodeVersionsJsonpath = '{range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion}{"\\n"}{end}';

/** A node's InternalIP (where its NodePorts listen for pods): `kubectl get node <name> -o jsonpath=...`. */
export const internalIpJsonpath = '{.status.addresses[?(@.type=="InternalIP")].address}';

export function parseNodeVersions(output: string): { name: string; version: string }[] {
  return output
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 2 && p[0])
    .map(([name, version]) => ({ name: name as string, version: version as string }));
}

/**
 * A reused cluster must run the Kubernetes the run was asked for (the release being upgraded is installed on
 * its own baseline): every node's kubelet at that minor, else exit 3 naming the nodes and the fix.
 */
export function nodesMustRun(nodes: { name: string; version: string }[], baseline: string, cluster: string): void {
  if (nodes.length === 0) throw new EnvironmentError(`kind cluster ${cluster}: no nodes`);
  const off = nodes.filter((n) => {
    const v = parseSemver(n.version);
    return !v || `${v.major}.${v.minor}` !== baseline;
  });
  if (off.length > 0) {
    throw new EnvironmentError(
      `kind cluster ${cluster}: ${off.map((n) => `${n.name} runs ${n.version}`).join(', ')}; this run needs Kubernetes ${baseline}`,
      { fix: `kind delete cluster --name ${cluster} (upcert then creates it on ${baseline})` },
    );
  }
}
