import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { hopDirName } from '../journey/certification.ts';
import { hopsOf, type RunResult, runResultSchema } from '../report/path-result.ts';
import type { Cell } from './cell.ts';
import { writeCellConfig } from './cell-config.ts';
import type { CellRecord } from './cell-record.ts';
import { figuresOf } from './figures.ts';
import { readHopFiles } from './hop-files.ts';

const bin = fileURLToPath(new URL('../../bin/upcert.js', import.meta.url));

export interface CellRunOptions {
  configFile?: string;
  /** a cell that takes longer is stopped (SIGTERM, then SIGKILL 60 s later) and is inconclusive. */
  timeoutMs: number;
  onChild?: (pid: number | undefined) => void;
}

/** The certify command of a cell: its path hop by hop, its target, and `--unsupported` for a refused path. */
export function certifyArgs(cell: Cell, config: string, reportDir: string, json: string): string[] {
  const through = cell.path.slice(1, -1).flatMap((r) => ['--through', r]);
  const args = ['certify', '--config', config, '--from', cell.path[0]!, ...through, '--to', cell.path.at(-1)!];
  args.push('--target', cell.target, '--report-dir', reportDir, '--json', json);
  return cell.supported ? args : [...args, '--unsupported'];
}

/** Each hop's report directory, relative to the cell's directory. */
async function hopReports(cellDir: string, cell: Cell): Promise<string[]> {
  const runs = (await readdir(path.join(cellDir, 'reports'), { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const run = runs.at(-1);
  if (!run) return [];
  if (cell.path.length === 2) return [path.join('reports', run)];
  return cell.path.slice(1).map((to, i) => path.join('reports', run, hopDirName(i + 1, cell.path[i]!, to)));
}

/** Certifies one cell in a child `upcert certify` (its own process, as selfcheck does) and records it. */
export async function runCell(cell: Cell, key: string, cellDir: string, opts: CellRunOptions): Promise<CellRecord> {
  await mkdir(path.join(cellDir, 'reports'), { recursive: true });
  const config = await writeCellConfig(cellDir, cell, opts.configFile);
  const json = path.join(cellDir, 'result.json');
  const log = createWriteStream(path.join(cellDir, 'certify.log'));
  const startedAt = new Date();
  const child = execa(process.execPath, [bin, ...certifyArgs(cell, config, path.join(cellDir, 'reports'), json)], {
    reject: false,
    all: true,
    buffer: false,
    timeout: opts.timeoutMs,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: 60_000,
    env: { NO_COLOR: '1' },
  });
  opts.onChild?.(child.pid);
  child.all?.pipe(log);
  const exit = await child;
  opts.onChild?.(undefined);
  await new Promise((resolve) => log.end(resolve));
  const why = exit.timedOut
    ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s`
    : `exited ${exit.exitCode ?? exit.signal}`;
  return recordOfCellDir(cell, key, cellDir, startedAt, why);
}

/**
 * The record of what a cell's run left in its directory (result.json and each hop's report): the verdict
 * is the result's, inconclusive (with why) when there is none.
 */
export async function recordOfCellDir(
  cell: Cell,
  key: string,
  cellDir: string,
  startedAt: Date,
  why = 'left no result',
): Promise<CellRecord> {
  const text = await readFile(path.join(cellDir, 'result.json'), 'utf8').catch(() => undefined);
  const result: RunResult | null = text ? runResultSchema.parse(JSON.parse(text)) : null;
  const reports = await hopReports(cellDir, cell);
  const hops = result ? hopsOf(result) : [];
  const files = await Promise.all(hops.map((h, i) => readHopFiles(path.join(cellDir, reports[i] ?? ''), h)));
  return {
    schema: 'upcert/matrix-cell@1',
    cell,
    key,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    verdict: result?.verdict ?? 'inconclusive',
    ...(result ? {} : { error: `upcert certify ${why} without a result (see ${path.join(cellDir, 'certify.log')})` }),
    result,
    figures: figuresOf(files),
    reports,
  };
}
