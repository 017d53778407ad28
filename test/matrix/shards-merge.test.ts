import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import { type Matrix, matrixSchema } from '../../src/matrix/matrix-schema.ts';
import { type FoundRecord, mergeMatrix, type PlannedCell, recordsOfPlan } from '../../src/matrix/merge.ts';
import { plannedCells } from '../../src/matrix/planned.ts';
import { ResultsStore } from '../../src/matrix/results-store.ts';
import { runCells } from '../../src/matrix/run-matrix.ts';
import { writeMatrixReport } from '../../src/matrix/write-report.ts';
import { replayExecutor } from './support/fixture-cells.ts';

const config = resolveConfig({ configFile: 'no-such-upcert.config.yaml', env: {} });
const margins = config.matrix.margins;

function plan(unsupported: boolean): { planned: PlannedCell[]; sourceTree: string } {
  return plannedCells(config, { to: 'v1.9.0', targets: ['local'], topologies: ['ha'], unsupported });
}

async function run(dir: string, planned: PlannedCell[], calls: string[], shard?: { index: number; count: number }) {
  const store = new ResultsStore(dir);
  const records = await runCells(planned, {
    store,
    shard,
    rerun: false,
    execute: replayExecutor(calls),
    say: () => {},
  });
  return { store, records };
}

function matrixOf(planned: PlannedCell[], records: Map<string, FoundRecord>, reportDir: string, sourceTree: string) {
  return mergeMatrix({ to: 'v1.9.0', sourceTree, planned, records, reportDir, margins });
}

/** What must agree between a single run and the merged shards, cell by cell. */
const essence = (m: Matrix) =>
  m.cells.map((c) => ({
    id: c.id,
    status: c.status,
    hops: c.hops,
    failedChecks: c.failedChecks,
    problems: c.problems,
    requests: c.requests,
    figures: c.figures,
  }));

describe('matrix run: one run against --shard 1/2 + --shard 2/2 + merge (cells of a real run, replayed)', () => {
  let tmp: string;
  let single: Matrix;
  let merged: Matrix;
  let singleRecords: Map<string, FoundRecord>;
  const { planned, sourceTree } = plan(true);
  const singleCalls: string[] = [];
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'upcert-matrix-'));
    const one = await run(path.join(tmp, 'one'), planned, singleCalls);
    singleRecords = one.records;
    single = matrixOf(planned, one.records, path.join(tmp, 'one-report'), sourceTree);
    const calls: string[] = [];
    const a = await run(path.join(tmp, 'shard-1'), planned, calls, { index: 1, count: 2 });
    const b = await run(path.join(tmp, 'shard-2'), planned, calls, { index: 2, count: 2 });
    expect(calls.sort()).toEqual([...singleCalls].sort());
    const found = [...(await a.store.all()), ...(await b.store.all())].map((f) => ({ ...f, cached: false }));
    merged = matrixOf(planned, recordsOfPlan(planned, found), path.join(tmp, 'merged-report'), sourceTree);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('runs every planned cell once, the supported path and pair and the unsupported direct upgrade', () => {
    expect(singleCalls).toEqual([
      'v1.7.0-v1.8.0-v1.9.0.local.none.ha',
      'v1.7.0-v1.9.0.local.none.ha',
      'v1.8.0-v1.9.0.local.none.ha',
    ]);
  });

  it('gives the same cells and verdicts, cell by cell', () => {
    expect(essence(merged)).toEqual(essence(single));
    expect(merged.gate).toEqual(single.gate);
  });

  it('keeps one certificate per hop in the path cell, its verdict the worst hop', () => {
    const path_ = single.cells.find((c) => c.path.length === 3)!;
    expect(path_.hops.map((h) => `${h.from}→${h.to}`)).toEqual(['v1.7.0→v1.8.0', 'v1.8.0→v1.9.0']);
    const rank = { passed: 0, inconclusive: 1, failed: 2 } as Record<string, number>;
    const worst = path_.hops.reduce((w, h) => (rank[h.verdict]! > rank[w]! ? h.verdict : w), 'passed');
    expect(path_.status).toBe(worst);
  });

  it('never requires the unsupported cell, and says why it is unsupported', () => {
    const direct = single.cells.find((c) => c.id === 'v1.7.0-v1.9.0.local.none.ha')!;
    expect(direct).toMatchObject({ supported: false, required: false, supportedPath: ['v1.7.0', 'v1.8.0', 'v1.9.0'] });
    expect(direct.reason).toMatch(/drops the legacy spend column/);
  });

  it('a second run skips every cell whose key already has a passing certificate, and runs the rest again', async () => {
    const calls: string[] = [];
    const again = await run(path.join(tmp, 'one'), planned, calls);
    const passing = single.cells.filter((c) => c.status === 'passed').map((c) => c.id);
    expect(calls.sort()).toEqual(
      single.cells
        .filter((c) => c.status !== 'passed')
        .map((c) => c.id)
        .sort(),
    );
    const cached = [...again.records.values()].filter((f) => f.cached).map((f) => f.record.cell.id);
    expect(cached.sort()).toEqual(passing.sort());
  });

  it('refuses the unsupported cell without --unsupported: not run, not required, with the reason', async () => {
    const { planned: strict } = plan(false);
    const calls: string[] = [];
    const { records } = await run(path.join(tmp, 'strict'), strict, calls);
    expect(calls).not.toContain('v1.7.0-v1.9.0.local.none.ha');
    const m = matrixOf(strict, records, path.join(tmp, 'strict-report'), sourceTree);
    const refused = m.cells.find((c) => c.id === 'v1.7.0-v1.9.0.local.none.ha')!;
    expect(refused.status).toBe('refused');
    expect(refused.problems[0]).toMatch(/^refused: v1.9.0 drops the legacy spend column/);
  });

  it('writes matrix.json that its exported schema accepts, and a JUnit suite per cell', async () => {
    const files = await writeMatrixReport(path.join(tmp, 'one-report'), single, singleRecords);
    expect(matrixSchema.parse(JSON.parse(await readFile(files.json, 'utf8'))).cells).toHaveLength(3);
    const junit = await readFile(files.junit, 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(3);
    for (const c of single.cells) expect(junit).toContain(`<testsuite name="${c.id}"`);
    // the path cell's suite holds both hops' checks, classname the check id
    expect(junit).toMatch(/<testcase classname="release-pinned" name="hop 2: release-pinned \(upgrade\)"/);
  });
});
