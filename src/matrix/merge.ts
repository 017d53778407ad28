import path from 'node:path';
import type { Margins } from '../config/schema.ts';
import { hopsOf } from '../report/path-result.ts';
import { type Cell, columnOf, rowOf } from './cell.ts';
import type { CellRecord } from './cell-record.ts';
import { gateOf } from './gate.ts';
import type { Matrix, MatrixCell } from './matrix-schema.ts';
import { regressions } from './regression.ts';

export interface PlannedCell {
  cell: Cell;
  /** the key the current checkout gives it. */
  key: string;
}

export interface FoundRecord {
  record: CellRecord;
  /** the record's directory. */
  dir: string;
  /** found under its key before this run: not run again. */
  cached: boolean;
}

/**
 * The shards' records of each planned cell, by the plan's key: the record under that key, else the newest
 * record of the same cell (a shard computes keys on its own machine, where e.g. the images it built give
 * digests this checkout does not have; the record keeps the key it ran under).
 */
export function recordsOfPlan(planned: PlannedCell[], found: FoundRecord[]): Map<string, FoundRecord> {
  const out = new Map<string, FoundRecord>();
  for (const p of planned) {
    const exact = found.find((f) => f.record.key === p.key);
    const sameCell = found
      .filter((f) => f.record.cell.id === p.cell.id)
      .sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt));
    const pick = exact ?? sameCell[0];
    if (pick) out.set(p.key, pick);
  }
  return out;
}

function fromRecord(found: FoundRecord, reportDir: string): Partial<MatrixCell> {
  const { record } = found;
  const hops = record.result ? hopsOf(record.result) : [];
  const problems = [
    ...(record.error ? [record.error] : []),
    ...hops.flatMap((h, i) => h.harnessFaults.map((f) => `hop ${i + 1}: harness fault: ${f.source}: ${f.reason}`)),
    ...hops.flatMap((h, i) => h.stepFailures.map((s) => `hop ${i + 1}: step failed: ${s.step}: ${s.error}`)),
  ];
  return {
    status: record.verdict,
    key: record.key,
    cached: found.cached,
    durationMs: record.durationMs,
    requests: hops.reduce((n, h) => n + h.load.total, 0),
    hops: hops.map((h) => ({ from: h.from, to: h.to, verdict: h.verdict })),
    failedChecks: hops.flatMap((h, i) =>
      h.checks
        .filter((c) => c.status === 'failed')
        .map((c) => ({ hop: i + 1, id: c.id, phase: c.phase, summary: c.summary })),
    ),
    problems,
    figures: record.figures,
    timelines: record.reports.map((r) => path.relative(reportDir, path.join(found.dir, r, 'timeline.html'))),
    record: path.relative(reportDir, path.join(found.dir, 'cell.json')),
  };
}

/**
 * matrix.json from the plan and the results found under each cell's key (one run, or the shards' results
 * merged): a planned cell with no result under its key is `missing`, an unsupported one not asked to run is
 * `refused`. Then the regressions against a baseline and the gate.
 */
export function mergeMatrix(input: {
  to: string;
  sourceTree: string;
  planned: PlannedCell[];
  records: Map<string, FoundRecord>;
  reportDir: string;
  baseline?: { file: string; matrix: Matrix };
  margins: Margins;
  now?: Date;
}): Matrix {
  const cells: MatrixCell[] = input.planned.map((p) => {
    const found = input.records.get(p.key);
    const base: MatrixCell = {
      ...p.cell,
      row: rowOf(p.cell),
      column: columnOf(p.cell),
      required: p.cell.supported,
      status: p.cell.runs ? 'missing' : 'refused',
      cached: false,
      key: p.key,
      durationMs: null,
      requests: null,
      hops: [],
      failedChecks: [],
      problems: p.cell.runs ? [] : [`refused: ${p.cell.reason ?? 'unsupported'}`],
      figures: null,
      timelines: [],
      record: null,
    };
    return found ? { ...base, ...fromRecord(found, input.reportDir) } : base;
  });
  const found = input.baseline ? regressions(cells, input.baseline.matrix, input.margins) : [];
  return {
    schema: 'upcert/matrix@1',
    to: input.to,
    generatedAt: (input.now ?? new Date()).toISOString(),
    sourceTree: input.sourceTree,
    cells,
    baseline: input.baseline?.file ?? null,
    regressions: found,
    gate: gateOf(cells, found),
  };
}
