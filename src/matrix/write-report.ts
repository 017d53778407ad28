import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { matrixJunit } from './junit.ts';
import { type Matrix, matrixSchema } from './matrix-schema.ts';
import type { FoundRecord } from './merge.ts';
import { writeMatrixHtml } from './page.ts';

/** The matrix report: matrix.json (validated against its exported schema), matrix.html and junit.xml. */
export async function writeMatrixReport(
  dir: string,
  matrix: Matrix,
  records: Map<string, FoundRecord>,
): Promise<{ html: string; json: string; junit: string }> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'matrix.json');
  await writeFile(json, `${JSON.stringify(matrixSchema.parse(matrix), null, 2)}\n`);
  const junit = path.join(dir, 'junit.xml');
  const byKey = new Map([...records.values()].map((f) => [f.record.key, f.record]));
  await writeFile(junit, matrixJunit(matrix, byKey));
  const html = await writeMatrixHtml(dir, matrix);
  return { html, json, junit };
}
