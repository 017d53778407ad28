import path from 'node:path';
import { createLogger } from '../common/logger.ts';
import { runCell } from '../matrix/cell-runner.ts';
import { githubMatrix } from '../matrix/github-matrix.ts';
import { type FoundRecord, recordsOfPlan } from '../matrix/merge.ts';
import { plannedCells } from '../matrix/planned.ts';
import { ResultsStore } from '../matrix/results-store.ts';
import { runCells } from '../matrix/run-matrix.ts';
import { parseShard } from '../matrix/shard.ts';
import { type MatrixFlags, matrixSetup, readBaseline } from './matrix-options.ts';
import { reportMatrix } from './matrix-report.ts';

const log = createLogger('matrix');

export type PlanFlags = MatrixFlags & { github?: boolean; shards?: string };
export type RunFlags = MatrixFlags & { shard?: string; rerun?: boolean; baseline?: string; report?: string };
export type MergeFlags = MatrixFlags & { from: string[]; baseline?: string; report?: string };

/** `matrix plan`: the cells and their keys, or (`--github`) the job matrix. */
export async function plan(flags: PlanFlags): Promise<number> {
  const { config, opts } = matrixSetup(flags);
  const { planned } = plannedCells(config, opts);
  const cells = planned.map((p) => p.cell);
  if (flags.github) {
    const shards = flags.shards === undefined ? undefined : parseShard(`1/${flags.shards}`).count;
    process.stdout.write(`${JSON.stringify(githubMatrix(cells, shards))}\n`);
    return 0;
  }
  for (const p of planned) {
    const what = p.cell.runs ? (p.cell.supported ? 'required' : 'unsupported, runs') : `refused: ${p.cell.reason}`;
    process.stdout.write(`${p.cell.id}  key ${p.key.slice(0, 12)}  ${what}\n`);
  }
  return 0;
}

/** `matrix run`: the shard's cells, skipping those whose key already passed; then the report and the gate. */
export async function run(flags: RunFlags): Promise<number> {
  const { config, opts } = matrixSetup(flags);
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  const baseline = readBaseline(flags.baseline);
  const { planned, sourceTree } = plannedCells(config, opts);
  const store = new ResultsStore(path.resolve(config.matrix.results));
  const records = await runCells(planned, {
    store,
    shard,
    rerun: Boolean(flags.rerun),
    say: (line) => log.info(line),
    execute: (p, dir) =>
      runCell(p.cell, p.key, dir, {
        configFile: flags.config,
        timeoutMs: config.timeouts.certificationSeconds * 1000 * (p.cell.path.length - 1),
      }),
  });
  const ran = new Set([...records.keys()]);
  const reportDir = path.resolve(
    flags.report ?? path.join(store.dir, shard ? `report-${shard.index}-of-${shard.count}` : 'report'),
  );
  return reportMatrix({
    config,
    to: opts.to,
    sourceTree,
    planned: shard ? planned.filter((p) => ran.has(p.key)) : planned,
    records,
    reportDir,
    baseline,
  });
}

/** `matrix merge`: the shards' results into one matrix report and the gate. */
export async function merge(flags: MergeFlags): Promise<number> {
  const { config, opts } = matrixSetup(flags);
  const baseline = readBaseline(flags.baseline);
  const { planned, sourceTree } = plannedCells(config, opts);
  const dirs = flags.from.length > 0 ? flags.from : [config.matrix.results];
  const found: FoundRecord[] = [];
  for (const dir of dirs) {
    for (const { record, dir: cellDir } of await new ResultsStore(path.resolve(dir)).all()) {
      found.push({ record, dir: cellDir, cached: false });
    }
  }
  const records = recordsOfPlan(planned, found);
  const reportDir = path.resolve(flags.report ?? path.join(config.matrix.results, 'report'));
  return reportMatrix({ config, to: opts.to, sourceTree, planned, records, reportDir, baseline });
}
