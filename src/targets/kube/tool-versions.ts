import { EnvironmentError } from '../../common/errors.ts';

/** `v4.1.4`, `v1.33.9`, `0.29.0` → numbers (a pre-release or build suffix is ignored). */
export interface Semver {
  major: number;
  minor: number;
  patch: number;
}

export function parseSemver(text: string): Semver | undefined {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

const helmInstall =
  'curl -fsSL https://raw.githubusercontent.com/helm/helm/v4.1.4/scripts/get-helm-4 | DESIRED_VERSION=v4.1.4 bash';

/**
 * `helm version --template '{{ .Version }}'` must be Helm 4.1 or newer: the chart is applied server-side
 * (`--server-side`, Helm 4) and Helm 3 has no such flag. Anything else is exit 3 with the install command.
 */
export function helmMustBe41(output: string): Semver {
  const v = parseSemver(output.trim());
  if (!v || v.major < 4 || (v.major === 4 && v.minor < 1)) {
    throw new EnvironmentError(
      `preflight: helm ${output.trim() || '(no version)'} found; upcert needs Helm 4.1 or newer (server-side apply)`,
      { fix: helmInstall },
    );
  }
  return v;
}

/**
 * `kind version` must be v0.29.x: kind/node-images.yaml pins the node images of kind v0.29.0, and node images
 * are supported only with the kind release they were published with (kind v0.29.0 release notes).
 */
export function kindMustBe029(output: string, pinned = 'v0.29.0'): Semver {
  const want = parseSemver(pinned) as Semver;
  const v = parseSemver(/kind (v\S+)/.exec(output)?.[1] ?? output);
  if (!v || v.major !== want.major || v.minor !== want.minor) {
    throw new EnvironmentError(
      `preflight: ${output.trim() || 'kind (no version)'} found; the pinned node images need kind ${pinned.replace(/\.\d+$/, '.x')}`,
      {
        fix: `curl -fsSLo /tmp/kind https://kind.sigs.k8s.io/dl/${pinned}/kind-linux-amd64 && sudo install -m 0755 /tmp/kind /usr/local/bin/kind`,
      },
    );
  }
  return v;
}

/** `kubectl version -o json` → the client's and (when connected) the server's minor (`"32+"` reads as 32). */
export function kubectlMinors(json: string): { client: number; server?: number } {
  const parsed = JSON.parse(json) as { clientVersion?: { minor?: string }; serverVersion?: { minor?: string } };
  const minor = (v?: { minor?: string }) => (v?.minor !== undefined ? Number.parseInt(v.minor, 10) : undefined);
  const client = minor(parsed.clientVersion);
  if (client === undefined || Number.isNaN(client)) throw new Error('kubectl version: no clientVersion.minor');
  const server = minor(parsed.serverVersion);
  return server === undefined || Number.isNaN(server) ? { client } : { client, server };
}

/**
 * "kubectl is supported within one minor version (older or newer) of kube-apiserver"
 * (https://kubernetes.io/releases/version-skew-policy/#kubectl). Outside it: exit 3, naming the kubectl that
 * fits (`upcert setup` keeps one per Kubernetes minor).
 */
export function kubectlMustFit(client: number, server: number): void {
  if (Math.abs(client - server) > 1) {
    throw new EnvironmentError(
      `preflight: kubectl 1.${client} against a 1.${server} cluster is outside the supported skew (one minor)`,
      { fix: `use kubectl 1.${server} (npx upcert setup fetches it)` },
    );
  }
}
