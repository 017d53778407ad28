import { errorAnnotation } from '../report/github-actions.ts';
import type { Matrix } from './matrix-schema.ts';

const text = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The matrix as a Markdown table for `$GITHUB_STEP_SUMMARY`. */
export function matrixMarkdown(m: Matrix): string {
  const gate = m.gate.exitCode === 0 ? 'passed' : m.gate.exitCode === 4 ? 'inconclusive' : 'failed';
  const lines = [
    `### upcert matrix into ${m.to}: gate ${gate}`,
    '',
    '| cell | status | failed checks |',
    '|---|---|---|',
  ];
  for (const c of m.cells) {
    const failed = c.failedChecks.map((f) => `${f.id} (${f.phase}, hop ${f.hop})`).join(', ');
    lines.push(
      `| ${text(c.path.join(' → '))} · ${text(c.column)} | ${c.status}${c.cached ? ' (cached)' : ''} | ${text(failed)} |`,
    );
  }
  for (const r of m.gate.reasons) lines.push('', `- ${text(r)}`);
  return `${lines.join('\n')}\n`;
}

/** One annotation per failed check of a required cell, per regression, per missing or inconclusive cell. */
export function matrixAnnotations(m: Matrix): string[] {
  const required = m.cells.filter((c) => c.required);
  return [
    ...required.flatMap((c) =>
      c.failedChecks.map((f) => errorAnnotation(`${c.id}: ${f.id} (${f.phase}) failed`, `hop ${f.hop}: ${f.summary}`)),
    ),
    ...required
      .filter((c) => c.status === 'missing' || c.status === 'inconclusive')
      .map((c) => errorAnnotation(`${c.id}: ${c.status}`, c.problems.join('; ') || c.status)),
    ...m.regressions.map((r) =>
      errorAnnotation(`${r.cell}: ${r.figure} regressed`, `${r.current} > ${r.limit} (baseline ${r.baseline})`),
    ),
  ];
}
