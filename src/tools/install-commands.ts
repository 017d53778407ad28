import type { KubeTool } from './kube-tool.ts';
import { kindVersion } from './kube-tool.ts';

/** The command that installs each tool on Linux amd64 (the README lists the other platforms). */
export const installCommands: Record<KubeTool, string> = {
  docker: 'curl -fsSL https://get.docker.com | sh',
  kind: `curl -fsSLo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/${kindVersion}/kind-linux-amd64 && chmod +x /usr/local/bin/kind`,
  helm: 'npx upcert setup (Linux x64), or: curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-4 | bash',
  kubectl:
    'npx upcert setup (Linux x64), or: curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/$(curl -fsSL https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl" && chmod +x /usr/local/bin/kubectl',
};
