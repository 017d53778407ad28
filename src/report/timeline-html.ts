import path from 'node:path';
import { redactText } from '../common/logger.ts';
import { lateMs } from '../load/ledger-buckets.ts';
import { type TimelineData, type TimelineSource, timelineDataOf } from './timeline-data.ts';
import { latencyColors } from './timeline-latency.ts';
import { glyph } from './timeline-marks.ts';
import { overviewSvg } from './timeline-overview.ts';
import { pageScript, pageStyle } from './timeline-page.ts';
import { clockLabel, escapeXml } from './timeline-scale.ts';
import { type Section, type TimelineModel, timelineModel } from './timeline-sections.ts';
import { describeEvent, outcomeColors, replicaKinds, versionColors } from './timeline-style.ts';
import { sectionSvg } from './timeline-svg.ts';
import { writeTextAtomically } from './write-files.ts';

function legend(versions: string[], colors: Map<string, string>): string {
  const swatch = (color: string, label: string) =>
    `<span><i class="sw" style="background:${color}"></i>${escapeXml(label)}</span>`;
  const kinds = new Map<string, (typeof replicaKinds)[string]>();
  for (const style of Object.values(replicaKinds)) kinds.set(style.label, style);
  const glyphs = [...kinds.values()].map(
    (k) =>
      `<span><svg width="12" height="14" viewBox="0 0 12 14">${glyph(k.glyph, 6, 7, k.color)}</svg>${k.label}</span>`,
  );
  return [
    '<div class="legend">',
    swatch(outcomeColors.served, 'served'),
    swatch(outcomeColors.refused, 'refused as expected (403/429)'),
    swatch(outcomeColors.failed, 'failed'),
    swatch(latencyColors.p50, 'p50 latency (by intended start)'),
    swatch(latencyColors.p99, 'p99 latency'),
    swatch(latencyColors.late, `requests sent ${lateMs} ms or more late`),
    ...versions.map((v) => swatch(colors.get(v)!, `served by ${v}`)),
    swatch('#fde68a', 'rollout window'),
    '<span><svg width="18" height="12"><line x1="1" x2="17" y1="6" y2="6" stroke="#334155" stroke-dasharray="4 3"/></svg>run marker</span>',
    ...glyphs,
    '</div>',
  ].join('');
}

function sectionHtml(s: Section, i: number, model: TimelineModel, colors: Map<string, string>): string {
  const { total, served, refused, failed } = s.totals;
  const rollout = s.rollout
    ? ` · rollout ${s.rollout.end === undefined ? 'did not finish' : `${((s.rollout.end - s.rollout.start) / 1000).toFixed(2)} s`}`
    : '';
  const load =
    total > 0
      ? `${total} requests: ${served} served, ${refused} refused as expected, <span class="${failed > 0 ? 'failed-count' : ''}">${failed} failed</span>`
      : 'no load';
  return [
    `<h2 id="phase-${escapeXml(s.phase)}">${escapeXml(s.phase)}</h2>`,
    `<p class="summary">${load}${rollout} · ${clockLabel(s.start - model.t0)} to ${clockLabel(s.end - model.t0)}</p>`,
    sectionSvg(s, i, model.t0, model.versions, colors),
  ].join('\n');
}

function eventsTable(model: TimelineModel): string {
  const rows = model.events.map(
    (e) =>
      `<tr><td class="t">${(e.t - model.t0) / 1000 >= 0 ? clockLabel(e.t - model.t0) : ''}</td><td>${escapeXml(describeEvent(e))}</td></tr>`,
  );
  return `<details><summary>All ${model.events.length} events</summary><table><tr><th>time</th><th>event</th></tr>${rows.join('')}</table></details>`;
}

/** timeline.html: a self-contained page (inline SVG, style and script; no network) of one run's rollout. */
export function renderTimelineHtml(data: TimelineData): string {
  const model = timelineModel(data);
  const colors = versionColors(model.versions, data.from, data.to);
  const verdict = data.verdict ?? 'unknown';
  const title =
    data.from && data.to ? `${data.from} → ${data.to}${data.target ? ` on ${data.target}` : ''}` : data.runId;
  const payload = {
    versions: model.versions,
    sections: model.sections.map((s) => ({
      start: s.start - model.t0,
      bucketMs: s.bucketMs,
      served: s.served,
      refused: s.refused,
      failed: s.failed,
      byVersion: s.byVersion,
    })),
  };
  const started = model.t0 > 0 ? new Date(model.t0).toISOString() : 'no events';
  return redactText(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>upcert timeline: ${escapeXml(title)}</title><style>${pageStyle}</style></head>
<body>
<h1>upcert timeline: ${escapeXml(title)} <span class="verdict ${escapeXml(verdict)}">${escapeXml(verdict)}</span></h1>
<p class="sub">run ${escapeXml(data.runId)} · time is seconds since the run started (${started}) · requests are counted by when they ended</p>
${legend(model.versions, colors)}
${overviewSvg(model)}
${model.sections.map((s, i) => sectionHtml(s, i, model, colors)).join('\n')}
${eventsTable(model)}
<div id="tip" hidden></div>
<script type="application/json" id="timeline-data">${JSON.stringify(payload).replace(/</g, '\\u003c')}</script>
<script>${pageScript}</script>
</body></html>
`);
}

/** Writes `<dir>/timeline.html` from a run (the report step) or from a run's timeline.json (`upcert report`). */
export async function writeTimelineHtml(dir: string, source: TimelineSource | TimelineData): Promise<string> {
  const data = 'ledgers' in source ? timelineDataOf(source) : source;
  const file = path.join(dir, 'timeline.html');
  await writeTextAtomically(file, renderTimelineHtml(data));
  return file;
}
