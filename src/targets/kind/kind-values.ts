import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isPlainObject, type Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';

/** The chart values every kind run applies (`kind/values.yaml`: pull policies, NodePorts, public URLs). */
export function readKindValues(root: string): Values {
  const file = path.join(root, 'kind', 'values.yaml');
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  if (!isPlainObject(parsed)) throw new BadInputError(`read kind values: ${file} must hold a mapping`);
  return parsed;
}

/** The chart's workloads by values key, with the image each runs (`repository:tag`, as `kind load` names it). */
const imageKeys = ['gateway', 'controlPlane', 'console', 'identity', 'providerMock', 'postgresql'] as const;

export interface ChartImage {
  key: (typeof imageKeys)[number];
  ref: string;
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
}

/** Each image of the merged values with the pull policy the chart renders for it (its own, else `global`). */
export function chartImages(values: Values): ChartImage[] {
  const global = (values.global as { imagePullPolicy?: string } | undefined)?.imagePullPolicy ?? 'IfNotPresent';
  return imageKeys.map((key) => {
    const image = ((values[key] as Values | undefined)?.image ?? {}) as {
      repository?: string;
      tag?: unknown;
      pullPolicy?: string;
    };
    if (!image.repository || image.tag === undefined || image.tag === '') {
      throw new BadInputError(`kind values: ${key}.image needs repository and tag`, { field: `${key}.image` });
    }
    const pullPolicy = (image.pullPolicy || global) as ChartImage['pullPolicy'];
    return { key, ref: `${image.repository}:${String(image.tag)}`, pullPolicy };
  });
}

/**
 * What `kind load docker-image` must put on the nodes: every image the chart will run with `Never` (the
 * node cannot pull it, so a missing one sits in ErrImageNeverPull). The others the nodes pull themselves.
 */
export function imagesToLoad(values: Values): string[] {
  return chartImages(values)
    .filter((i) => i.pullPolicy === 'Never')
    .map((i) => i.ref);
}

/** A public URL's host name (`http://console.upcert.test:30082` → `console.upcert.test`). */
function hostOf(url: string, field: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    throw new BadInputError(`kind values: ${field} is not a URL (${url})`, { field });
  }
}

/**
 * `hostAliases` that make the public names of console and identity resolve inside every pod to a node's IP,
 * where their NodePorts listen (https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/).
 */
export function publicHostAliases(values: Values, nodeIp: string): { ip: string; hostnames: string[] }[] {
  const urls = (values.publicUrls ?? {}) as Record<string, string | undefined>;
  const hostnames = (['console', 'identity'] as const)
    .filter((k) => urls[k])
    .map((k) => hostOf(urls[k] as string, `publicUrls.${k}`));
  return hostnames.length > 0 ? [{ ip: nodeIp, hostnames: [...new Set(hostnames)] }] : [];
}
