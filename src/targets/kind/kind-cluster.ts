import type { CommandRunner } from '../../common/command.ts';
import type { Logger } from '../../common/logger.ts';
import type { TeardownStack } from '../../common/teardown-stack.ts';
import type { Kubectl } from '../kube/kubectl.ts';
import { helmMustBe41, kindMustBe029, kubectlMinors, kubectlMustFit } from '../kube/tool-versions.ts';
import type { KindCli } from './kind-cli.ts';
import { clusterConfigFile, nodeImageFor, readNodeImages, type Topology } from './node-image.ts';
import { internalIpJsonpath, nodesMustRun, nodeVersionsJsonpath, parseNodeVersions } from './nodes.ts';

export interface ClusterPlan {
  root: string;
  topology: Topology;
  /** The Kubernetes minor the nodes must run (the node image's). */
  kubernetes: string;
  keep: boolean;
  createSeconds: number;
  namespaceSeconds: number;
}

/** helm 4.1+ and kind v0.29.x before anything starts (exit 3 with the install command otherwise). */
export async function toolsMustFit(run: CommandRunner, pinnedKind: string): Promise<void> {
  const helm = await run('helm', ['version', '--template', '{{ .Version }}'], { timeoutMs: 15_000 });
  helmMustBe41(helm.exitCode === 0 ? helm.stdout : '');
  const kind = await run('kind', ['version'], { timeoutMs: 15_000 });
  kindMustBe029(kind.exitCode === 0 ? kind.stdout : '', pinnedKind);
}

/**
 * The cluster a run installs on: created from kind/<topology>.yaml with the node image of `kubernetes`, or
 * reused when one of that name exists (its nodes must run `kubernetes`; it is never deleted). The namespace
 * is recreated before the install (a reused or --keep cluster keeps the PVC with the old password, the
 * release and its history) and deleted at the end unless --keep. Returns the control-plane node's IP.
 */
export async function prepareCluster(
  p: ClusterPlan,
  kind: KindCli,
  kubectl: Kubectl,
  stack: TeardownStack,
  log: Logger,
): Promise<string> {
  if (await kind.exists()) {
    log.info(`reusing kind cluster ${kind.cluster}`);
    const nodes = await kubectl.exec('kubectl get nodes', ['get', 'nodes', '-o', `jsonpath=${nodeVersionsJsonpath}`], {
      namespaced: false,
    });
    nodesMustRun(parseNodeVersions(nodes), p.kubernetes, kind.cluster);
  } else {
    const image = nodeImageFor(readNodeImages(p.root), p.kubernetes);
    log.info(`creating kind cluster ${kind.cluster} (${p.topology}, ${image})`);
    await kind.create(clusterConfigFile(p.root, p.topology), image, p.createSeconds);
    if (!p.keep) stack.push(`delete kind cluster ${kind.cluster}`, () => kind.delete().then(() => undefined));
  }
  const versions = await kubectl.exec('kubectl version', ['version', '-o', 'json'], { namespaced: false });
  const { client, server } = kubectlMinors(versions);
  if (server !== undefined) kubectlMustFit(client, server);
  const ns = kubectl.namespace;
  const wait = ['--ignore-not-found', '--wait=true', `--timeout=${p.namespaceSeconds}s`];
  await kubectl.exec(`delete namespace ${ns}`, ['delete', 'namespace', ns, ...wait], { namespaced: false });
  if (!p.keep) {
    stack.push(`delete namespace ${ns}`, () =>
      kubectl
        .exec(`delete namespace ${ns}`, ['delete', 'namespace', ns, ...wait], { namespaced: false })
        .then(() => undefined),
    );
  }
  const node = `${kind.cluster}-control-plane`;
  const ip = await kubectl.exec(
    `InternalIP of ${node}`,
    ['get', 'node', node, '-o', `jsonpath=${internalIpJsonpath}`],
    {
      namespaced: false,
    },
  );
  return ip.trim();
}
