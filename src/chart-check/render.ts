import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CommandRunner, execaRunner, mustRun } from '../common/command.ts';
import type { Values } from '../common/deep-merge.ts';
import type { LoadedRelease } from '../release/catalog.ts';
import { kubeValues, writeValuesFile } from '../release/release-values.ts';

export interface RenderOptions {
  root: string;
  release: LoadedRelease;
  /** Chart directory; default: the release's `chart.path`. */
  chartDir?: string;
  /** The user's values files (`-f`). Without a `secrets` key in any of them, the chart's example secrets render it. */
  valuesFiles: readonly string[];
  highAvailability: boolean;
  run?: CommandRunner;
}

export interface Rendered {
  manifests: string;
  values: Values;
  chartDir: string;
}

/**
 * `helm template` of the release's chart with the values a Kubernetes run applies (release-values.ts: chart
 * defaults, HA, the release's images pinned by digest, the user's files). The chart is first packaged at the
 * release's version (`helm package --version`), as a run installs it, so that `.Chart.Version` and every
 * label made from it are the release's. No cluster is contacted.
 */
export async function renderChart(o: RenderOptions): Promise<Rendered> {
  const chartDir = path.resolve(o.root, o.chartDir ?? o.release.chart.path ?? '');
  const release = { ...o.release, chart: { ...o.release.chart, path: chartDir } };
  const values = await kubeValues({
    root: o.root,
    release,
    highAvailability: o.highAvailability,
    valuesFiles: o.valuesFiles,
    pinDigests: true,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-chart-check-'));
  try {
    const files = [await writeValuesFile(dir, release.name, values)];
    if (values.secrets === undefined) files.push(path.join(chartDir, 'secrets-values.example.yaml'));
    else files.push(...o.valuesFiles);
    const run = o.run ?? execaRunner;
    const version = release.chart.version;
    const packaged = await mustRun(
      run,
      `package chart ${chartDir}`,
      'helm',
      ['package', chartDir, '--version', version, '--app-version', version, '-d', dir],
      { timeoutMs: 60_000 },
    );
    const tgz = /saved it to: (\S+)/.exec(packaged)?.[1];
    if (!tgz) throw new Error(`package chart ${chartDir}: unexpected helm output (${packaged.trim()})`);
    const args = [
      'template',
      'upcert-platform',
      tgz,
      '--namespace',
      'upcert-platform',
      ...files.flatMap((f) => ['-f', f]),
    ];
    const manifests = await mustRun(run, `render chart ${chartDir}`, 'helm', args, {
      timeoutMs: 60_000,
    });
    return { manifests, values, chartDir };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
