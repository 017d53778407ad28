import { isPlainObject } from './deep-merge.ts';
import { BadInputError } from './errors.ts';

/** The value at a dotted path (`gateway.maxRequestBytes`) of a configuration object; undefined when absent. */
export function readDotted(config: unknown, dotted: string): unknown {
  let node = config;
  for (const key of dotted.split('.')) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/** Sets one existing setting at a dotted path, in place (a hand edit); an unknown path is bad input. */
export function setDotted(config: Record<string, unknown>, dotted: string, value: unknown, component: string): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = config;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next))
      throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
    node = next;
  }
  const last = keys.at(-1) as string;
  if (!(last in node)) throw new BadInputError(`edit live config: ${component} has no ${dotted}`, { field: dotted });
  node[last] = value;
}
