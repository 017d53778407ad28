import { clockLabel, escapeXml, r1, timeStep } from './timeline-scale.ts';
import type { TimelineModel } from './timeline-sections.ts';
import { layout, placeLabels, runMarker } from './timeline-svg.ts';

/** The whole run on one axis: a band per phase (click to jump to its chart) and every run-level marker. */
export function overviewSvg(model: TimelineModel): string {
  const width = layout.width - layout.left - layout.right;
  const span = Math.max(1, model.t1 - model.t0);
  const x = (t: number) => layout.left + ((t - model.t0) / span) * width;
  // migration heads are drawn in the phases' charts; here the journey's steps
  const markers = model.events.filter((e) => !e.component && e.kind !== 'migration-head');
  const rows = 4;
  const bandTop = rows * 13 + 6;
  const axisTop = bandTop + 24;
  const out = [
    `<svg class="overview" viewBox="0 0 ${layout.width} ${axisTop + 24}" width="${layout.width}" height="${axisTop + 24}" xmlns="http://www.w3.org/2000/svg">`,
    `<text class="lane-label" x="${layout.left - 8}" y="${bandTop + 15}" text-anchor="end">whole run</text>`,
    `<rect class="plot-bg" x="${layout.left}" y="${bandTop}" width="${width}" height="20"/>`,
  ];
  model.sections.forEach((s, i) => {
    const x1 = x(s.start);
    const w = Math.max(2, x(s.end) - x1);
    out.push(
      `<a href="#phase-${escapeXml(s.phase)}"><rect class="phase-band" data-phase="${escapeXml(s.phase)}" x="${r1(x1)}" y="${bandTop}" width="${r1(w)}" height="20"><title>${escapeXml(s.phase)}</title></rect>`,
      `<text class="phase-band-label" x="${r1(x1 + w / 2)}" y="${bandTop + 14}" text-anchor="middle">${w > 50 ? escapeXml(s.phase) : i + 1}</text></a>`,
    );
  });
  for (const m of placeLabels(markers, x, rows)) out.push(runMarker(m, model.t0, bandTop + 20));
  const step = timeStep(span, 14);
  out.push(`<line class="axis" x1="${layout.left}" x2="${layout.left + width}" y1="${axisTop}" y2="${axisTop}"/>`);
  for (let t = 0; t <= span; t += step) {
    out.push(
      `<line class="axis" x1="${r1(x(model.t0 + t))}" x2="${r1(x(model.t0 + t))}" y1="${axisTop}" y2="${axisTop + 4}"/>`,
      `<text class="tick" x="${r1(x(model.t0 + t))}" y="${axisTop + 16}" text-anchor="middle">${clockLabel(t, step)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
