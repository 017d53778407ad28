import { z } from 'zod';
import { phases } from '../release/manifest.ts';
import { cellSchema } from './cell.ts';
import { figuresSchema } from './figures.ts';

export const cellStatuses = ['passed', 'failed', 'inconclusive', 'refused', 'missing'] as const;
export type CellStatus = (typeof cellStatuses)[number];

/** One cell of matrix.json: the plan's cell, what its run showed, and where its evidence is. */
export const matrixCellSchema = cellSchema.extend({
  row: z.string(),
  column: z.string(),
  /** every supported cell of the plan is required by the gate. */
  required: z.boolean(),
  /** `refused`: unsupported and not asked to run; `missing`: planned to run, but no result has its key. */
  status: z.enum(cellStatuses),
  /** the result was already there under its key (this run did not run it again). */
  cached: z.boolean(),
  key: z.string(),
  durationMs: z.number().nullable(),
  requests: z.number().nullable(),
  hops: z.array(z.strictObject({ from: z.string(), to: z.string(), verdict: z.string() })),
  failedChecks: z.array(
    z.strictObject({ hop: z.number().int(), id: z.string(), phase: z.enum(phases), summary: z.string() }),
  ),
  /** failed steps and inconclusive reasons (a cell can fail without a failed check). */
  problems: z.array(z.string()),
  figures: figuresSchema.nullable(),
  /** relative to the matrix report's directory. */
  timelines: z.array(z.string()),
  record: z.string().nullable(),
});
export type MatrixCell = z.infer<typeof matrixCellSchema>;

export const regressionSchema = z.strictObject({
  cell: z.string(),
  figure: z.enum(['upgradeDurationMs', 'rolloutOutageMs', 'rolloutP99Ms', 'lostSpendWindowMs']),
  baseline: z.number(),
  current: z.number(),
  limit: z.number(),
});
export type Regression = z.infer<typeof regressionSchema>;

/** matrix.json (the schema is exported: CI and the next release's `--baseline` read it). */
export const matrixSchema = z.strictObject({
  schema: z.literal('upcert/matrix@1'),
  to: z.string(),
  generatedAt: z.iso.datetime(),
  sourceTree: z.string(),
  cells: z.array(matrixCellSchema),
  /** the baseline matrix.json this one was compared with, when any. */
  baseline: z.string().nullable(),
  regressions: z.array(regressionSchema),
  gate: z.strictObject({ exitCode: z.union([z.literal(0), z.literal(1), z.literal(4)]), reasons: z.array(z.string()) }),
});
export type Matrix = z.infer<typeof matrixSchema>;
