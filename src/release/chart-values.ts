import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { deepMerge, isPlainObject, type Values } from '../common/deep-merge.ts';
import { BadInputError } from '../common/errors.ts';
import type { ReleaseManifest } from './manifest.ts';

export interface ValuesSources {
  /** Repository root: the manifest's `chart.path` is relative to it. */
  root: string;
  release: Pick<ReleaseManifest, 'chart'> & { name: string };
  highAvailability?: boolean;
  /** User values files (`-f`), in order; relative paths resolve against the working directory. */
  valuesFiles?: string[];
  /** Programmatic values, applied last. */
  values?: Values;
}

export async function readValuesFile(file: string, field: string): Promise<Values> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new BadInputError(`read values: cannot read ${file} (${(error as Error).message})`, { field, cause: error });
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new BadInputError(`read values: ${file} is not valid YAML (${(error as Error).message})`, { field });
  }
  if (parsed == null) return {};
  if (!isPlainObject(parsed)) throw new BadInputError(`read values: ${file} must hold a mapping`, { field });
  return parsed;
}

/**
 * The values the release is installed with, merged as helm does: the chart's `values.yaml`, then the
 * HA layer (the chart's `values-ha.yaml` and `global.highAvailability: true`, when asked), then the release manifest's `chart.values`,
 * then the user's files, then programmatic values.
 */
export async function resolveChartValues(src: ValuesSources): Promise<Values> {
  const chartPath = src.release.chart?.path;
  if (!chartPath) {
    throw new BadInputError(
      `resolve values: release ${src.release.name} has no chart.path (the local target needs one)`,
      {
        field: 'chart.path',
      },
    );
  }
  let merged = await readValuesFile(path.resolve(src.root, chartPath, 'values.yaml'), 'chart.path');
  if (src.highAvailability) {
    // The chart's own HA layer when it ships one (values-ha.yaml), else the switch alone.
    const haFile = path.resolve(src.root, chartPath, 'values-ha.yaml');
    const ha = existsSync(haFile) ? await readValuesFile(haFile, 'chart.path') : {};
    merged = deepMerge(merged, deepMerge(ha, { global: { highAvailability: true } }));
  }
  if (src.release.chart?.values) merged = deepMerge(merged, src.release.chart.values);
  for (const file of src.valuesFiles ?? []) merged = deepMerge(merged, await readValuesFile(path.resolve(file), file));
  if (src.values) merged = deepMerge(merged, src.values);
  return merged;
}
