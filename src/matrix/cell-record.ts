import { z } from 'zod';
import { runResultSchema } from '../report/path-result.ts';
import { cellSchema } from './cell.ts';
import { figuresSchema } from './figures.ts';

/**
 * `<results>/<key>/cell.json`: what one cell's run left — the cell, its content key, the certificate (one
 * hop) or path result (one certificate per hop), the verdict (the worst hop's), figures and where each
 * hop's report is (relative to the record's directory).
 */
export const cellRecordSchema = z.strictObject({
  schema: z.literal('upcert/matrix-cell@1'),
  cell: cellSchema,
  key: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.iso.datetime(),
  durationMs: z.number().int().min(0),
  /** the worst hop's; inconclusive when upcert produced no result. */
  verdict: z.enum(['passed', 'failed', 'inconclusive']),
  /** upcert could not produce a result (no certificate): why; the verdict is then inconclusive. */
  error: z.string().optional(),
  result: runResultSchema.nullable(),
  figures: figuresSchema,
  /** each hop's report directory, relative to the record's directory. */
  reports: z.array(z.string()),
});
export type CellRecord = z.infer<typeof cellRecordSchema>;
