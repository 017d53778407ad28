import type { RolloutEvent } from '../common/rollout-event.ts';
import { layout, placeLabels, runMarker } from './timeline-marks.ts';
import { clockLabel, escapeXml, r1, timeStep } from './timeline-scale.ts';
import type { TimelineModel } from './timeline-sections.ts';

/** Journey steps as spans: each `step-started` up to the `step-done` of the same step (or the end of the run). */
export function journeySteps(events: RolloutEvent[], end: number): { name: string; start: number; end: number }[] {
  const steps: { name: string; start: number; end: number }[] = [];
  for (const e of events) {
    if (e.kind !== 'step-started') continue;
    const name = String(e.detail ?? '');
    const done = events.find((d) => d.kind === 'step-done' && d.t >= e.t && String(d.detail ?? '') === name);
    steps.push({ name, start: e.t, end: done?.t ?? end });
  }
  return steps;
}

/** Run markers worth a label on the whole run's axis (steps have their own row, heads are in the phases). */
export const isOverviewMarker = (e: RolloutEvent): boolean =>
  !e.component && e.kind !== 'migration-head' && !e.kind.startsWith('step-');

function band(x1: number, x2: number, y: number, cls: string, title: string, label: string, href?: string): string {
  const w = Math.max(2, x2 - x1);
  const fits = label.length * 6.2 + 8 < w;
  const shape = `<rect class="${cls}" x="${r1(x1)}" y="${y}" width="${r1(w)}" height="18"><title>${escapeXml(title)}</title></rect>${
    fits
      ? `<text class="band-label" x="${r1(x1 + w / 2)}" y="${y + 13}" text-anchor="middle">${escapeXml(label)}</text>`
      : ''
  }`;
  return href ? `<a href="${href}">${shape}</a>` : shape;
}

/** The whole run on one axis: the journey's steps, a band per phase (click: its chart), the run-level markers. */
export function overviewSvg(model: TimelineModel): string {
  const width = layout.width - layout.left - layout.right;
  const span = Math.max(1, model.t1 - model.t0);
  const x = (t: number) => layout.left + ((t - model.t0) / span) * width;
  const rows = 3;
  const stepsTop = rows * layout.labelRow + 6;
  const phasesTop = stepsTop + 22;
  const axisTop = phasesTop + 24;
  const out = [
    `<svg class="overview" viewBox="0 0 ${layout.width} ${axisTop + 24}" width="${layout.width}" height="${axisTop + 24}" xmlns="http://www.w3.org/2000/svg">`,
    `<text class="lane-label" x="${layout.left - 8}" y="${stepsTop + 13}" text-anchor="end">journey steps</text>`,
    `<text class="lane-label" x="${layout.left - 8}" y="${phasesTop + 13}" text-anchor="end">phases</text>`,
    `<rect class="plot-bg" x="${layout.left}" y="${stepsTop}" width="${width}" height="${phasesTop + 18 - stepsTop}"/>`,
  ];
  journeySteps(model.events, model.t1).forEach((s, i) => {
    const title = `${s.name}: ${clockLabel(s.start - model.t0)}, ${((s.end - s.start) / 1000).toFixed(1)} s`;
    out.push(band(x(s.start), x(s.end), stepsTop, `step-band step-${i % 2}`, title, s.name));
  });
  for (const s of model.sections) {
    const title = `${s.phase}: ${clockLabel(s.start - model.t0)} to ${clockLabel(s.end - model.t0)}`;
    out.push(band(x(s.start), x(s.end), phasesTop, 'phase-band', title, s.phase, `#phase-${escapeXml(s.phase)}`));
  }
  const markers = model.events.filter(isOverviewMarker);
  for (const m of placeLabels(markers, x, rows)) out.push(runMarker(m, model.t0, phasesTop + 18));
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
