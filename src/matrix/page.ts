import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeXml as esc } from '../report/timeline-scale.ts';
import type { Matrix, MatrixCell } from './matrix-schema.ts';
import { pageStyle } from './page-style.ts';

const unique = (xs: string[]) => [...new Set(xs)];
const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;

function figures(c: MatrixCell): string {
  const rows: [string, string][] = [
    ['duration', ms(c.durationMs)],
    ['requests', c.requests === null ? '—' : String(c.requests)],
    ['worst p99', ms(c.figures?.rolloutP99Ms)],
    ['upgrade', ms(c.figures?.upgradeDurationMs)],
  ];
  if (c.figures?.rolloutOutageMs != null) rows.push(['restore outage', ms(c.figures.rolloutOutageMs)]);
  return `<dl class="figures">${rows.map(([k, v]) => `<dt>${k}</dt><dd data-figure="${k}">${v}</dd>`).join('')}</dl>`;
}

function cellHtml(c: MatrixCell | undefined): string {
  if (!c) return '<td class="cell empty">not planned</td>';
  const cached = c.cached ? '<span class="badge" title="a passing result with this key was reused">cached</span>' : '';
  const optional = c.required
    ? ''
    : '<span class="badge" title="unsupported: not required by the gate">unsupported</span>';
  const failed = c.failedChecks.length
    ? `<ul class="failed-checks">${c.failedChecks
        .map((f) => `<li title="${esc(f.summary)}"><code>${esc(f.id)}</code> (${f.phase}, hop ${f.hop})</li>`)
        .join('')}</ul>`
    : '';
  const problems = c.problems.length
    ? `<ul class="problems">${c.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '';
  const links = c.timelines
    .map(
      (t, i) =>
        `<a class="timeline" href="${esc(t.split(path.sep).join('/'))}">timeline${c.timelines.length > 1 ? ` hop ${i + 1}` : ''}</a>`,
    )
    .join(' · ');
  const ran = c.status === 'refused' || c.status === 'missing' ? '' : figures(c);
  return `<td class="cell ${c.status}" data-cell="${esc(c.id)}" data-status="${c.status}"><div><span class="verdict">${c.status}</span>${cached}${optional}</div><div class="path">${esc(c.path.join(' → '))}</div>${ran}${failed}${problems}${links}</td>`;
}

/** The matrix page: rows from-version or path, columns target × baseline × topology; one self-contained file. */
export function matrixHtml(m: Matrix): string {
  const rows = unique(m.cells.map((c) => c.row));
  const columns = unique(m.cells.map((c) => c.column));
  const at = new Map(m.cells.map((c) => [`${c.row}|${c.column}`, c]));
  const gateClass = m.gate.exitCode === 0 ? 'ok' : m.gate.exitCode === 4 ? 'unsure' : 'bad';
  const gateText = m.gate.exitCode === 0 ? 'gate passed' : m.gate.exitCode === 4 ? 'gate inconclusive' : 'gate failed';
  const body = rows
    .map(
      (r) => `<tr><th scope="row">${esc(r)}</th>${columns.map((col) => cellHtml(at.get(`${r}|${col}`))).join('')}</tr>`,
    )
    .join('\n');
  const regressions = m.regressions.length
    ? `<section class="regressions"><h2>Regressions against ${esc(m.baseline ?? '')}</h2><ul>${m.regressions
        .map((r) => `<li>${esc(r.cell)}: ${r.figure} ${r.current} &gt; ${r.limit} (baseline ${r.baseline})</li>`)
        .join('')}</ul></section>`
    : m.baseline
      ? `<p>No regression against ${esc(m.baseline)}.</p>`
      : '';
  const reasons = m.gate.reasons.length
    ? `<ul class="gate-reasons">${m.gate.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>upcert matrix → ${esc(m.to)}</title><style>${pageStyle}</style></head>
<body>
<h1>Upgrade matrix into ${esc(m.to)}</h1>
<div class="gate ${gateClass}" data-exit-code="${m.gate.exitCode}">${gateText} (exit ${m.gate.exitCode})</div>
${reasons}
<table class="matrix"><thead><tr><th>from / path</th>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
${regressions}
<footer>generated ${esc(m.generatedAt)} · upcert tree ${esc(m.sourceTree.slice(0, 12))} · matrix.json beside this page</footer>
</body></html>
`;
}

export async function writeMatrixHtml(dir: string, m: Matrix): Promise<string> {
  const file = path.join(dir, 'matrix.html');
  await writeFile(file, matrixHtml(m));
  return file;
}
