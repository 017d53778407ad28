import type { Matrix, MatrixCell, Regression } from './matrix-schema.ts';

/**
 * The gate (DESIGN.md "Verdict and exit codes"): every supported cell of the plan is required; 0 only when
 * every required cell passed and nothing regressed; 1 on a failed or missing cell or a regression; 4 when a
 * required cell was inconclusive (and none failed).
 */
export function gateOf(cells: MatrixCell[], regressions: Regression[]): Matrix['gate'] {
  const required = cells.filter((c) => c.required);
  const failed = required.filter((c) => c.status === 'failed' || c.status === 'missing');
  const inconclusive = required.filter((c) => c.status === 'inconclusive');
  const reasons = [
    ...failed.map((c) => `${c.id}: ${c.status}${c.status === 'missing' ? ' (no result with its key)' : ''}`),
    ...regressions.map(
      (r) => `${r.cell}: ${r.figure} regressed: ${r.current} > ${r.limit} (baseline ${r.baseline} + margin)`,
    ),
    ...inconclusive.map((c) => `${c.id}: inconclusive`),
  ];
  const exitCode = failed.length > 0 || regressions.length > 0 ? 1 : inconclusive.length > 0 ? 4 : 0;
  return { exitCode, reasons };
}
