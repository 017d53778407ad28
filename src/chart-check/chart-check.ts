import type { CommandRunner } from '../common/command.ts';
import { defaultRoot, type LoadedRelease } from '../release/catalog.ts';
import type { Finding } from './finding.ts';
import { parseManifests } from './manifests.ts';
import { renderChart } from './render.ts';
import { runChartRules } from './rules.ts';

export interface ChartCheckOptions {
  release: LoadedRelease;
  /** The release upgraded from: its chart is rendered too, for the rules that compare N and N+1. */
  from?: LoadedRelease;
  valuesFiles?: string[];
  root?: string;
  chartDir?: string;
  /** Check the HA promises (render with `global.highAvailability: true`). Default true. */
  highAvailability?: boolean;
  /** Accept a release whose image digests are not recorded yet (a fresh clone before `npm run images:build`). */
  allowUnbuilt?: boolean;
  run?: CommandRunner;
}

export interface ChartCheckResult {
  findings: Finding[];
  objects: number;
  chartDir: string;
}

/** Static chart conformance: render with `helm template`, then every rule of `rules.ts` over the objects. */
export async function checkChart(o: ChartCheckOptions): Promise<ChartCheckResult> {
  const highAvailability = o.highAvailability ?? true;
  const render = (release: LoadedRelease) =>
    renderChart({
      root: o.root ?? defaultRoot,
      release,
      chartDir: o.chartDir,
      valuesFiles: o.valuesFiles ?? [],
      highAvailability,
      run: o.run,
    });
  const [rendered, before] = await Promise.all([render(o.release), o.from ? render(o.from) : undefined]);
  const objects = parseManifests(rendered.manifests);
  const previous = o.from && before ? { release: o.from.name, objects: parseManifests(before.manifests) } : undefined;
  const findings = runChartRules({
    objects,
    values: rendered.values,
    release: o.release,
    highAvailability:
      rendered.values.global !== undefined &&
      (rendered.values.global as { highAvailability?: boolean }).highAvailability === true,
    allowUnbuilt: o.allowUnbuilt ?? false,
    previous,
  });
  return { findings, objects: objects.length, chartDir: rendered.chartDir };
}
