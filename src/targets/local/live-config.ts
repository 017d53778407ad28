import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject, type Values } from '../../common/deep-merge.ts';
import { readDotted, setDotted } from '../../common/dotted-path.ts';
import { writeConfigFile } from './render-config.ts';
import { valuesKey, type WorkloadName } from './workload-settings.ts';

/** Reads a dotted path (`gateway.maxRequestBytes`) of a component's live configuration file. */
export async function readLive(file: string, dotted: string): Promise<unknown> {
  return readDotted(JSON.parse(await readFile(file, 'utf8')), dotted);
}

/** A hand edit of the live configuration (the ConfigMap), as an operator would make with kubectl edit. */
export async function editLive(file: string, component: WorkloadName, dotted: string, value: unknown): Promise<void> {
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  setDotted(config, dotted, value, component);
  await writeConfigFile(path.dirname(file), component, config);
}

/**
 * Whether the chart keeps a workload's live ConfigMap on upgrade instead of rendering it again
 * (`<key>.keepLiveConfig: true`; in a Helm template, a `lookup` of the existing ConfigMap). A hand edit then
 * survives the upgrade: what the broken release `hand-edit-sticks` does, and what `hand-edits-reconciled` catches.
 */
export function keepsLiveConfig(values: Values, workload: WorkloadName): boolean {
  const settings = values[valuesKey[workload]];
  return isPlainObject(settings) && settings.keepLiveConfig === true;
}
