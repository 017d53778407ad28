import { existsSync, readFileSync } from 'node:fs';
import { BadInputError } from '../common/errors.ts';
import { resolveConfig } from '../config/resolve.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { type Matrix, matrixSchema } from '../matrix/matrix-schema.ts';
import type { MatrixOptions } from '../matrix/planned.ts';
import { platformName } from '../matrix/planned.ts';
import { loadRelease } from '../release/catalog.ts';
import { type Topology, topologies } from '../targets/kind/node-image.ts';

export interface MatrixFlags {
  config?: string;
  to?: string;
  targets?: string;
  topologies?: string;
  baselines?: string;
  unsupported?: boolean;
  results?: string;
}

function list<T extends string>(flag: string, value: string, known: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !known.includes(i as T));
  if (bad.length > 0 || items.length === 0)
    throw new BadInputError(`${flag}: unknown ${bad.join(', ') || '(empty)'} (known: ${known.join(', ')})`, {
      field: flag,
    });
  return items as T[];
}

/** The configuration and the plan's options from `matrix` flags (bad input names the flag: exit 2). */
export function matrixSetup(flags: MatrixFlags): { config: UpcertConfig; opts: MatrixOptions } {
  if (!flags.to)
    throw new BadInputError('matrix: --to <release> is required (the release candidate)', { field: '--to' });
  const config = resolveConfig({
    configFile: flags.config,
    explicitConfigFile: Boolean(flags.config),
    flags: { matrix: flags.results ? { results: flags.results } : undefined },
  });
  // the matrix plans the reference platform's releases (cell keys and the support policy are its own)
  if (config.platform !== platformName) {
    throw new BadInputError(
      `matrix: platform ${config.platform} (from the configuration): the matrix certifies the ${platformName} platform only; certify another platform's pair with \`upcert certify --platform ${config.platform}\``,
      { field: 'platform' },
    );
  }
  const release = loadRelease(flags.to);
  if (!release.upgradeFrom)
    throw new BadInputError(`matrix: ${flags.to} declares no upgradeFrom (nothing to plan)`, { field: '--to' });
  const defaultTopology: Topology =
    config.target === 'local' ? (config.local.highAvailability ? 'ha' : 'single') : config.kube.topology;
  return {
    config,
    opts: {
      to: flags.to,
      targets: flags.targets
        ? list('--targets', flags.targets, ['local', 'kind', 'cluster'] as const)
        : [config.target],
      topologies: flags.topologies ? list('--topologies', flags.topologies, topologies) : [defaultTopology],
      unsupported: Boolean(flags.unsupported),
      ...(flags.baselines ? { baselines: baselinesOf(flags.baselines) } : {}),
    },
  };
}

/** `--baseline <matrix.json>`: the previous release's matrix, validated against the exported schema. */
export function readBaseline(file: string | undefined): { file: string; matrix: Matrix } | undefined {
  if (!file) return undefined;
  if (!existsSync(file)) throw new BadInputError(`--baseline: file not found: ${file}`, { field: '--baseline' });
  const parsed = matrixSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`--baseline: ${file} is not a matrix.json at ${issue?.path.join('.')}: ${issue?.message}`, {
      field: '--baseline',
    });
  }
  return { file, matrix: parsed.data };
}

function baselinesOf(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  const bad = items.filter((b) => !/^\d+\.\d+$/.test(b));
  if (bad.length > 0)
    throw new BadInputError(`--baselines: expected Kubernetes minors like 1.32 (got ${bad.join(', ')})`, {
      field: '--baselines',
    });
  return items;
}
