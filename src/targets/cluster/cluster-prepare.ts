import path from 'node:path';
import type { LoadedRelease } from '../../release/catalog.ts';
import { componentNames } from '../../release/manifest.ts';
import { kubeValues, valuesKeyOf, writeValuesFile } from '../../release/release-values.ts';
import type { ApplyOptions, Helm } from '../kube/helm.ts';
import { withRegistry } from './image-refs.ts';

export interface PrepareSources {
  root: string;
  helm: Helm;
  workDir: string;
  secretsFile: string;
  valuesFiles: readonly string[];
  highAvailability: boolean;
  registry: string | undefined;
  rolloutSeconds: number;
}

/** `--registry R`: every component image from R (`R/upcert/gateway:tag@digest`), layered last. */
export function registryValues(release: LoadedRelease, registry: string | undefined) {
  if (!registry) return undefined;
  return Object.fromEntries(
    componentNames.map((c) => [
      valuesKeyOf[c],
      { image: { repository: withRegistry(release.components[c].image.repository, registry) } },
    ]),
  );
}

/**
 * The chart and values files of one release, as `helm upgrade`/`template` get them: the release's chart (a
 * packaged directory, or its `chart.oci` reference with `--version`), then `values-<release>.yaml` (chart
 * defaults, HA, the release's images pinned by digest, the user's -f files, --registry), then the user's
 * secrets values file, in that order (later wins), for an OCI chart as for a local one.
 */
export function clusterPrepare(s: PrepareSources): (release: LoadedRelease) => Promise<ApplyOptions> {
  return async (r) => {
    // an OCI chart is pulled (read-only) so that its own values.yaml and values-ha.yaml layer as a local one's
    const local = r.chart.oci
      ? { ...r, chart: { ...r.chart, path: await pulledChart(s, r.chart.oci, r.chart.version) } }
      : r;
    const values = await kubeValues({
      root: s.root,
      release: local,
      highAvailability: s.highAvailability,
      valuesFiles: s.valuesFiles,
      pinDigests: true,
      overrides: registryValues(r, s.registry),
    });
    const chart =
      r.chart.oci ?? (await s.helm.package(path.resolve(s.root, r.chart.path ?? ''), r.chart.version, s.workDir));
    return {
      chart,
      chartVersion: r.chart.oci ? r.chart.version : undefined,
      valuesFiles: [await writeValuesFile(s.workDir, r.name, values), s.secretsFile],
      timeoutSeconds: s.rolloutSeconds,
    };
  };
}

/** `helm pull <oci> --version V --untar -d <work>/oci-<version>`: the chart directory (absolute path). */
async function pulledChart(s: PrepareSources, oci: string, version: string): Promise<string> {
  const dir = path.join(s.workDir, `oci-${version}`);
  await s.helm.pull(oci, version, dir);
  return path.join(dir, path.basename(oci.replace(/\/+$/, '')));
}
