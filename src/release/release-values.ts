import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { mergeLayers, type Values } from '../common/deep-merge.ts';
import type { LoadedRelease } from './catalog.ts';
import { resolveChartValues } from './chart-values.ts';
import { type ComponentName, componentNames } from './manifest.ts';

/** Values keys of the release components (CONTRACT.md: camelCase keys, kebab-case component names). */
export const valuesKeyOf: Record<ComponentName, string> = {
  gateway: 'gateway',
  'control-plane': 'controlPlane',
  console: 'console',
  identity: 'identity',
};

/**
 * The release's images as chart values. `pinDigests`: `repository:tag@digest` (a registry serves the
 * digest, cluster target); otherwise tag only (kind: the images were loaded onto the nodes by tag, and
 * containerd does not know a docker image ID as a pullable digest). A null digest is never pinned.
 */
export function imageValues(release: Pick<LoadedRelease, 'components'>, pinDigests: boolean): Values {
  return Object.fromEntries(
    componentNames.map((c) => {
      const { repository, tag, digest } = release.components[c].image;
      return [valuesKeyOf[c], { image: { repository, tag, digest: pinDigests && digest ? digest : '' } }];
    }),
  );
}

export interface KubeValuesSources {
  root: string;
  release: LoadedRelease;
  highAvailability: boolean;
  /** The user's `-f` files, in order (the secrets values file is passed separately). */
  valuesFiles: readonly string[];
  pinDigests: boolean;
  /** The target's own settings, applied last (kind: `global.imagePullPolicy: Never`). */
  overrides?: Values;
}

/**
 * The values a Kubernetes install or upgrade runs with, layered as the local target layers them (one
 * source for both): chart defaults, the HA layer, the release's chart values with its images, the user's
 * files, then the target's overrides. Written out as one `values.yaml` so that a report shows exactly
 * what was applied; helm then gets `-f values.yaml -f secrets-values.yaml`, as the product's upgrade page says.
 */
export function kubeValues(src: KubeValuesSources): Promise<Values> {
  const { release } = src;
  const releaseLayer = mergeLayers(imageValues(release, src.pinDigests), release.chart.values ?? {});
  return resolveChartValues({
    root: src.root,
    release: { name: release.name, chart: { ...release.chart, values: releaseLayer } },
    highAvailability: src.highAvailability,
    valuesFiles: [...src.valuesFiles],
    values: src.overrides,
  });
}

/** `<dir>/values-<release>.yaml`, without any `secrets` key (those go to the secrets values file only). */
export async function writeValuesFile(dir: string, release: string, values: Values): Promise<string> {
  const { secrets: _secrets, ...rest } = values;
  const file = path.join(dir, `values-${release}.yaml`);
  const header = `# upcert: values applied for ${release} (chart defaults, HA, release, -f files, target)\n`;
  await writeFile(file, `${header}${stringify(rest)}`);
  return file;
}

/** `secrets-values.yaml` (mode 0600) from values that carry a `secrets` key (the user's own file, cluster target). */
export async function writeSecretsValuesFile(dir: string, secrets: unknown): Promise<string> {
  const file = path.join(dir, 'secrets-values.yaml');
  await writeFile(file, stringify({ secrets }), { mode: 0o600 });
  return file;
}
