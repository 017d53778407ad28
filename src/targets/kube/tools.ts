import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../common/errors.ts';

/** The external tools the Kubernetes targets drive. */
export type KubeTool = 'docker' | 'kind' | 'helm' | 'kubectl';

/** kind release whose node images `kind/node-images.yaml` pins (the binary and the images go together). */
export const kindVersion = 'v0.29.0';

/** The command that installs each tool on Linux amd64 (the README lists the other platforms). */
export const installCommands: Record<KubeTool, string> = {
  docker: 'curl -fsSL https://get.docker.com | sh',
  kind: `curl -fsSLo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/${kindVersion}/kind-linux-amd64 && chmod +x /usr/local/bin/kind`,
  helm: 'npx upcert setup (Linux x64), or: curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-4 | bash',
  kubectl:
    'npx upcert setup (Linux x64), or: curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/$(curl -fsSL https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl" && chmod +x /usr/local/bin/kubectl',
};

/** Tools each target needs: kind builds nothing itself but loads images, so it needs docker too. */
export const toolsOf: Record<'kind' | 'cluster', KubeTool[]> = {
  kind: ['docker', 'kind', 'helm', 'kubectl'],
  cluster: ['helm', 'kubectl'],
};

/** Whether an executable named `name` is on `pathVar` (no shell, no spawn). */
export function onPath(name: string, pathVar: string | undefined): boolean {
  for (const dir of (pathVar ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * One error naming every missing tool (exit 3); `fix` holds one install command per line, so that the
 * message reads `...; to fix:` followed by `<tool>: <command>` lines.
 */
export function missingToolsError(target: string, missing: readonly KubeTool[]): EnvironmentError {
  const fix = missing.map((t) => `\n  ${t}: ${installCommands[t]}`).join('');
  return new EnvironmentError(`preflight: the ${target} target needs ${missing.join(', ')} (not found on PATH)`, {
    fix,
  });
}

/** Throws `missingToolsError` when any tool the target needs is not on PATH. */
export function requireTools(target: 'kind' | 'cluster', pathVar: string | undefined): void {
  const missing = toolsOf[target].filter((t) => !onPath(t, pathVar));
  if (missing.length > 0) throw missingToolsError(target, missing);
}
