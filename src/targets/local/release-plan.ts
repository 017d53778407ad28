import { access } from 'node:fs/promises';
import path from 'node:path';
import { mergeLayers, type Values } from '../../common/deep-merge.ts';
import { EnvironmentError } from '../../common/errors.ts';
import { type LoadedRelease, verifyArtifact } from '../../release/catalog.ts';
import { resolveChartValues, type ValuesSources } from '../../release/chart-values.ts';
import { type ComponentName, type ComponentPin, componentNames } from '../../release/manifest.ts';
import { imageValues } from '../../release/release-values.ts';
import { weighCpu } from './cpu-weight.ts';
import { imageSource } from './image-source.ts';
import { renderedValues } from './render-config.ts';
import { type WorkloadName, type WorkloadSettings, workloadSettings } from './workload-settings.ts';

export const providerMockBundle = 'dist/platform/provider-mock.mjs';
export const workloadNames: readonly WorkloadName[] = [...componentNames, 'provider-mock'];

/** Everything one install or upgrade of a release needs, resolved and checked before anything starts. */
export interface ReleasePlan {
  release: LoadedRelease;
  values: Values;
  settings: Record<WorkloadName, WorkloadSettings>;
  /** Absolute bundle paths; release components' bundles checked against the manifest unless the check is off. */
  bundles: Record<WorkloadName, string>;
  /** The version each workload runs: the release's own, or the one its chart's image tag names (image-source.ts). */
  versions: Record<WorkloadName, string>;
}

export type ArtifactCheck = 'strict' | 'off';

async function mustExist(file: string, what: string): Promise<string> {
  try {
    await access(file);
    return file;
  } catch (error) {
    throw new EnvironmentError(`plan release: ${what} bundle ${file} is missing`, {
      fix: 'npm run build:platform',
      cause: error,
    });
  }
}

async function bundleOf(root: string, pin: ComponentPin, c: ComponentName, check: ArtifactCheck) {
  if (check === 'strict') return (await verifyArtifact(root, { component: c, artifact: pin.artifact })).path;
  return mustExist(path.resolve(root, pin.artifact.path), c);
}

export async function planRelease(
  release: LoadedRelease,
  sources: Omit<ValuesSources, 'release'>,
  artifactCheck: ArtifactCheck,
): Promise<ReleasePlan> {
  // The release's images under its own chart values, as on Kubernetes (kube/release-values.ts).
  const chart = { ...release.chart, values: mergeLayers(imageValues(release, false), release.chart.values ?? {}) };
  const values = await resolveChartValues({ ...sources, release: { name: release.name, chart } });
  renderedValues(values); // every value the rendered configuration needs is there and valid
  const settings = weighCpu(
    Object.fromEntries(workloadNames.map((w) => [w, workloadSettings(values, w)])) as Record<
      WorkloadName,
      WorkloadSettings
    >,
  );
  const bundles = {} as Record<WorkloadName, string>;
  const versions = { 'provider-mock': 'baseline' } as Record<WorkloadName, string>;
  for (const c of componentNames) {
    const source = imageSource(sources.root, release, values, c);
    bundles[c] = await bundleOf(sources.root, source.pin, c, artifactCheck);
    versions[c] = source.pin.version;
  }
  bundles['provider-mock'] = await mustExist(path.resolve(sources.root, providerMockBundle), 'provider-mock');
  return { release, values, settings, bundles, versions };
}
