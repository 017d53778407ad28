import type { ReleaseLookup } from '../release/support-policy.ts';
import { supportOf } from '../release/support-policy.ts';
import type { Topology } from '../targets/kind/node-image.ts';
import { type Cell, cellIdOf } from './cell.ts';

export type TargetName = Cell['target'];

export interface PlanInput {
  /** the release candidate every cell upgrades to. */
  to: string;
  targets: TargetName[];
  topologies: Topology[];
  /** run the unsupported direct upgrades too (to prove that they break). */
  unsupported: boolean;
  /** Kubernetes baselines of the kind/cluster cells (default: the baseline of each path's first release). */
  baselines?: string[];
  /** the good releases and their Kubernetes baselines. */
  lookup: ReleaseLookup;
  kubernetesOf: (version: string) => string;
}

/**
 * `matrix plan --to R` (DESIGN.md "Matrix"): from R's `upgradeFrom`, one row per supported direct upgrade,
 * one per multi-hop path (v1.7.0 → v1.8.0 → v1.9.0), and the refused direct upgrade beside it (run only
 * with `unsupported`); each row on every target × baseline × topology. Sorted by id: shards are stable.
 */
export function planMatrix(input: PlanInput): Cell[] {
  const release = input.lookup(input.to);
  if (!release) throw new Error(`plan: no release ${input.to}`);
  const paths: { path: string[]; reason?: string; supportedPath?: string[] }[] = [];
  for (const entry of release.upgradeFrom ?? []) {
    const support = supportOf(entry.version, input.to, input.lookup);
    if (support.supported) {
      paths.push({ path: [entry.version, input.to] });
      continue;
    }
    if (support.path) paths.push({ path: support.path });
    paths.push({ path: [entry.version, input.to], reason: support.reason, supportedPath: support.path });
  }
  const cells: Cell[] = [];
  for (const p of paths) {
    for (const target of input.targets) {
      const baselines = target === 'local' ? ['none'] : (input.baselines ?? [input.kubernetesOf(p.path[0]!)]);
      for (const [topology, baseline] of input.topologies.flatMap((t) => baselines.map((b) => [t, b] as const))) {
        const supported = p.reason === undefined;
        const cell: Cell = {
          id: cellIdOf({ path: p.path, target, baseline, topology }),
          path: p.path,
          target,
          baseline,
          topology,
          supported,
          ...(p.reason ? { reason: p.reason } : {}),
          ...(p.supportedPath ? { supportedPath: p.supportedPath } : {}),
          runs: supported || input.unsupported,
        };
        cells.push(cell);
      }
    }
  }
  return cells.sort((a, b) => a.id.localeCompare(b.id));
}
