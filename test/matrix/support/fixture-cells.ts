import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Cell, cellSchema } from '../../../src/matrix/cell.ts';
import { recordOfCellDir } from '../../../src/matrix/cell-runner.ts';
import type { CellExecutor } from '../../../src/matrix/run-matrix.ts';

/** Cells of a real `upcert matrix run --to v1.9.0 --unsupported` on the local target, captured once. */
export const fixtureDir = path.resolve('test/fixtures/matrix/local-v1.9.0');

export async function fixtureCell(id: string): Promise<Cell> {
  return cellSchema.parse(JSON.parse(await readFile(path.join(fixtureDir, id, 'cell-definition.json'), 'utf8')));
}

/**
 * Runs a cell by laying down what its real run left (result.json and the hops' timelines) and recording it
 * with the runner's own code: the plan, store, shard, merge and report logic run for real, the certification
 * itself is the one captured (named so: no platform starts in these tests). `calls` counts the cells run.
 */
export function replayExecutor(calls: string[]): CellExecutor {
  return async (p, cellDir) => {
    calls.push(p.cell.id);
    await cp(path.join(fixtureDir, p.cell.id), cellDir, { recursive: true });
    return recordOfCellDir(p.cell, p.key, cellDir, new Date());
  };
}
