import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signInProfileOf } from '../browser/profile.ts';
import type { UpcertConfig } from '../config/schema.ts';
import type { ReleaseManifest } from '../release/manifest.ts';
import type { Cell } from './cell.ts';

/** JSON with sorted keys: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The settings of a run that can change its outcome (not where reports go, nor how CI is detected). */
export function targetSettings(config: UpcertConfig): Record<string, unknown> {
  const { target, context, only, skip, load, local, kube, timeouts, scratchPostgres, allowDestructive } = config;
  const valuesFiles = config.valuesFiles.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  return {
    target,
    context,
    only,
    skip,
    load,
    local,
    kube,
    timeouts,
    scratchPostgres,
    allowDestructive,
    browserProfile: signInProfileOf(config.browser, undefined),
    valuesFiles,
  };
}

export interface KeyInput {
  cell: Pick<Cell, 'path' | 'target' | 'baseline' | 'topology' | 'supported'>;
  /** every release of the path, with its artifact and image digests. */
  manifests: ReleaseManifest[];
  platform: string;
  settings: Record<string, unknown>;
  sourceTree: string;
}

/**
 * A cell's content key: the hash of its releases' manifests (digests included), the platform, the target
 * settings and upcert's own tree. Equal keys mean an equal experiment, so a passing result can be reused.
 */
export function cellKey(input: KeyInput): string {
  const { path, target, baseline, topology, supported } = input.cell;
  const material = canonicalJson({
    cell: { path, target, baseline, topology, supported },
    manifests: input.manifests,
    platform: input.platform,
    settings: input.settings,
    sourceTree: input.sourceTree,
  });
  return createHash('sha256').update(material).digest('hex');
}
