import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject, type Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import { writeConfigFile } from './render-config.ts';
import { valuesKey, type WorkloadName } from './workload-settings.ts';

/** Reads a dotted path (`gateway.maxRequestBytes`) of a component's live configuration file. */
export async function readLive(file: string, dotted: string): Promise<unknown> {
  let node: unknown = JSON.parse(await readFile(file, 'utf8'));
  for (const key of dotted.split('.')) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/** A hand edit of the live configuration (the ConfigMap), as an operator would make with kubectl edit. */
export async function editLive(file: string, component: WorkloadName, dotted: string, value: unknown): Promise<void> {
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const keys = dotted.split('.');
  let node: Record<string, unknown> = config;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next))
      throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
    node = next;
  }
  const last = keys[keys.length - 1]!;
  if (!(last in node)) throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
  node[last] = value;
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
