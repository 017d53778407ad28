import { describeCell } from './cell.ts';
import type { CellRecord } from './cell-record.ts';
import type { FoundRecord, PlannedCell } from './merge.ts';
import type { ResultsStore } from './results-store.ts';
import { cellsOfShard, type Shard } from './shard.ts';

export type CellExecutor = (p: PlannedCell, cellDir: string) => Promise<CellRecord>;

export interface RunOptions {
  store: ResultsStore;
  shard?: Shard;
  /** run even the cells whose key already has a passing certificate. */
  rerun: boolean;
  execute: CellExecutor;
  say: (line: string) => void;
}

/**
 * `matrix run`: the shard's cells in the plan's order, one after the other; a cell whose key already has a
 * passing certificate in the results directory is not run again (said so), unless `--rerun`.
 */
export async function runCells(planned: PlannedCell[], opts: RunOptions): Promise<Map<string, FoundRecord>> {
  const byId = new Map(planned.map((p) => [p.cell.id, p]));
  const mine = cellsOfShard(
    planned.map((p) => p.cell),
    opts.shard,
  ).map((c) => byId.get(c.id)!);
  const found = new Map<string, FoundRecord>();
  for (const [i, p] of mine.entries()) {
    const label = `[${i + 1}/${mine.length}] ${describeCell(p.cell)}`;
    const passing = opts.rerun ? undefined : await opts.store.passing(p.key);
    if (passing) {
      opts.say(
        `${label}: skipped, key ${p.key.slice(0, 12)} already has a passing certificate (${opts.store.cellDir(p.key)})`,
      );
      found.set(p.key, { record: passing, dir: opts.store.cellDir(p.key), cached: true });
      continue;
    }
    opts.say(`${label}: running (key ${p.key.slice(0, 12)})`);
    const record = await opts.execute(p, opts.store.cellDir(p.key));
    await opts.store.write(record);
    opts.say(`${label}: ${record.verdict} in ${(record.durationMs / 1000).toFixed(1)} s`);
    found.set(p.key, { record, dir: opts.store.cellDir(p.key), cached: false });
  }
  return found;
}
