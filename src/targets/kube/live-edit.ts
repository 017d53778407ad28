import { isPlainObject } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';

/** The ConfigMap holding a component's rendered configuration (chart: `<component>-config`, key `config.json`). */
export const configMapOf = (component: string) => `${component}-config`;
export const configKey = 'config.json';

export function readDotted(config: unknown, dotted: string): unknown {
  let node = config;
  for (const key of dotted.split('.')) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/** `config.json` with one existing setting changed (a hand edit); an unknown path is bad input. */
export function editedConfigJson(text: string, component: string, dotted: string, value: unknown): string {
  const config = JSON.parse(text) as Record<string, unknown>;
  const keys = dotted.split('.');
  let node: Record<string, unknown> = config;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next))
      throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
    node = next;
  }
  const last = keys.at(-1)!;
  if (!(last in node)) throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
  node[last] = value;
  return `${JSON.stringify(config, null, 2)}\n`;
}
