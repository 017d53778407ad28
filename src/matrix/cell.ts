import { z } from 'zod';
import { topologies } from '../targets/kind/node-image.ts';

/**
 * One cell of the version matrix: an upgrade path (two releases, or more for a multi-hop path certified hop
 * by hop in one platform's life) on one target, Kubernetes baseline and topology.
 */
export const cellSchema = z.strictObject({
  /** stable id: the path and the column, e.g. `v1.7.0-v1.8.0-v1.9.0.local.none.ha`. */
  id: z.string().min(1),
  path: z.array(z.string().min(1)).min(2),
  target: z.enum(['local', 'kind', 'cluster']),
  /** the cluster's Kubernetes baseline (the first release's); `none` on the local target. */
  baseline: z.string().min(1),
  topology: z.enum(topologies),
  /** every hop is supported by the policy; only supported cells are required by the gate. */
  supported: z.boolean(),
  /** an unsupported cell: why, and the path to take instead. */
  reason: z.string().optional(),
  supportedPath: z.array(z.string()).optional(),
  /** run it (an unsupported cell runs only when `--unsupported` asks to prove that it breaks). */
  runs: z.boolean(),
});
export type Cell = z.infer<typeof cellSchema>;

/** The matrix page's row: the from-version, or the path of a multi-hop cell. */
export function rowOf(cell: Pick<Cell, 'path'>): string {
  return cell.path.length === 2 ? cell.path[0]! : cell.path.slice(0, -1).join(' → ');
}

/** The matrix page's column: target × baseline × topology. */
export function columnOf(cell: Pick<Cell, 'target' | 'baseline' | 'topology'>): string {
  return `${cell.target} × ${cell.baseline === 'none' ? 'no Kubernetes' : `Kubernetes ${cell.baseline}`} × ${cell.topology}`;
}

export function cellIdOf(cell: Pick<Cell, 'path' | 'target' | 'baseline' | 'topology'>): string {
  return [cell.path.join('-'), cell.target, cell.baseline, cell.topology].join('.');
}

/** `v1.7.0 → v1.8.0 → v1.9.0 on local (none, ha)`. */
export function describeCell(cell: Cell): string {
  return `${cell.path.join(' → ')} on ${cell.target} (${cell.baseline}, ${cell.topology})`;
}
