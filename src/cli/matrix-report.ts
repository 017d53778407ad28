import type { UpcertConfig } from '../config/schema.ts';
import type { Matrix } from '../matrix/matrix-schema.ts';
import { type FoundRecord, mergeMatrix, type PlannedCell } from '../matrix/merge.ts';
import { matrixAnnotations, matrixMarkdown } from '../matrix/summary-markdown.ts';
import { writeMatrixReport } from '../matrix/write-report.ts';
import { publishToGithub } from '../report/github-actions.ts';

/** matrix.json, matrix.html and junit.xml from the planned cells and the results found; returns the gate's exit code. */
export async function reportMatrix(input: {
  config: UpcertConfig;
  to: string;
  sourceTree: string;
  planned: PlannedCell[];
  records: Map<string, FoundRecord>;
  reportDir: string;
  baseline?: { file: string; matrix: Matrix };
}): Promise<number> {
  const matrix = mergeMatrix({ ...input, margins: input.config.matrix.margins });
  const files = await writeMatrixReport(input.reportDir, matrix, input.records);
  await publishToGithub(input.config, matrixAnnotations(matrix), matrixMarkdown(matrix));
  const lines = matrix.cells.map(
    (c) => `  ${c.status.padEnd(12)} ${c.path.join(' → ')}  ${c.column}${c.cached ? '  (cached)' : ''}`,
  );
  lines.push(...matrix.gate.reasons.map((r) => `  gate: ${r}`));
  lines.push(
    `gate: exit ${matrix.gate.exitCode}`,
    `matrix report: ${files.html}`,
    `matrix.json: ${files.json}`,
    `junit: ${files.junit}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return matrix.gate.exitCode;
}
