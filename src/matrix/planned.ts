import type { UpcertConfig } from '../config/schema.ts';
import { defaultRoot, loadRelease, releaseLookup } from '../release/catalog.ts';
import type { Topology } from '../targets/kind/node-image.ts';
import type { Cell } from './cell.ts';
import { cellConfig } from './cell-config.ts';
import { cellKey, targetSettings } from './cell-key.ts';
import type { PlannedCell } from './merge.ts';
import { planMatrix, type TargetName } from './plan.ts';
import { sourceTreeHash } from './source-tree.ts';

/** The platform every cell certifies (the reference platform is the only one so far). */
export const platformName = 'reference';

export interface MatrixOptions {
  to: string;
  targets: TargetName[];
  topologies: Topology[];
  unsupported: boolean;
  baselines?: string[];
}

/** The plan of `--to R` with each cell's content key (the same in every shard and in the merge). */
export function plannedCells(config: UpcertConfig, opts: MatrixOptions, root = defaultRoot) {
  const lookup = releaseLookup(root);
  const cells = planMatrix({ ...opts, lookup, kubernetesOf: (v) => loadRelease(v, root).kubernetes });
  const sourceTree = sourceTreeHash(root);
  const keyOf = (cell: Cell) =>
    cellKey({
      cell,
      manifests: cell.path.map((name) => {
        const { name: _n, file: _f, ...manifest } = loadRelease(name, root);
        return manifest;
      }),
      platform: platformName,
      settings: targetSettings(cellConfig(config, cell)),
      sourceTree,
    });
  const planned: PlannedCell[] = cells.map((cell) => ({ cell, key: keyOf(cell) }));
  return { planned, sourceTree };
}
