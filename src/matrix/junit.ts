import { checkCase, countsOf, suite } from '../report/junit-certificate.ts';
import { hopsOf } from '../report/path-result.ts';
import { escapeXml as esc } from '../report/timeline-scale.ts';
import type { CellRecord } from './cell-record.ts';
import type { Matrix, MatrixCell } from './matrix-schema.ts';

function cellSuite(c: MatrixCell, record: CellRecord | undefined): string {
  const props = {
    from: c.path[0]!,
    to: c.path.at(-1)!,
    path: c.path.join(' → '),
    target: c.target,
    baseline: c.baseline,
    topology: c.topology,
    status: c.status,
    required: String(c.required),
  };
  const hops = record?.result ? hopsOf(record.result) : [];
  const checks = hops.flatMap((h, i) => h.checks.map((x) => ({ check: x, hop: i + 1, of: hops.length })));
  const cases = checks.map(({ check, hop, of }) =>
    checkCase(check, of > 1 ? `hop ${hop}: ${check.id} (${check.phase})` : `${check.id} (${check.phase})`),
  );
  const counts = countsOf(checks.map((x) => x.check));
  for (const p of c.problems) {
    const skippedOnly = c.status === 'refused';
    cases.push(
      `<testcase classname="cell" name="${esc(p.slice(0, 120))}" time="0">${skippedOnly ? `<skipped message="${esc(p)}"/>` : `<failure message="${esc(p)}" type="cell-${c.status}"/>`}</testcase>`,
    );
    counts.tests++;
    if (skippedOnly) counts.skipped++;
    else counts.failures++;
  }
  if (c.status === 'missing') {
    cases.push(
      `<testcase classname="cell" name="result" time="0"><failure message="no result has this cell's key" type="cell-missing"/></testcase>`,
    );
    counts.tests++;
    counts.failures++;
  }
  return suite(c.id, props, cases, counts);
}

/** The matrix's JUnit file: one suite per cell (its checks hop by hop, or why it did not run). */
export function matrixJunit(m: Matrix, records: Map<string, CellRecord>): string {
  const suites = m.cells.map((c) => cellSuite(c, records.get(c.key)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="upcert matrix → ${esc(m.to)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
