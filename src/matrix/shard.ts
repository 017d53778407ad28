import { BadInputError } from '../common/errors.ts';
import type { Cell } from './cell.ts';

export interface Shard {
  index: number;
  count: number;
}

/** `--shard i/n` (1 ≤ i ≤ n). */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new BadInputError(`--shard: expected i/n with 1 ≤ i ≤ n, e.g. 1/2 (got ${value})`, { field: '--shard' });
  }
  return { index, count };
}

/**
 * The cells of one shard: the plan's cells that run, dealt round-robin in the plan's (sorted) order, so
 * that every cell lands in exactly one shard whatever the machine.
 */
export function cellsOfShard(cells: Cell[], shard: Shard | undefined): Cell[] {
  const running = cells.filter((c) => c.runs);
  if (!shard) return running;
  return running.filter((_, i) => i % shard.count === shard.index - 1);
}
