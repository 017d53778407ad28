import { lateMs } from '../load/ledger-buckets.ts';
import { layout } from './timeline-marks.ts';
import { r1 } from './timeline-scale.ts';
import type { Section } from './timeline-sections.ts';

export const latencyColors = { p50: '#2f7d4f', p99: '#c0392b', late: '#e69f00' };
const plotWidth = layout.width - layout.left - layout.right;

const label = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** Step lines over the buckets that had requests (a bucket with none leaves a gap). */
function steps(values: number[], x: (i: number) => number, y: (v: number) => number): string[] {
  const lines: string[] = [];
  let points: string[] = [];
  values.forEach((v, i) => {
    if (v <= 0) {
      if (points.length > 0) lines.push(points.join(' '));
      points = [];
      return;
    }
    points.push(`${r1(x(i))},${r1(y(v))}`, `${r1(x(i + 1))},${r1(y(v))}`);
  });
  if (points.length > 0) lines.push(points.join(' '));
  return lines;
}

/**
 * The latency panel (by intended start, log scale): p50 and p99 per bucket, and a tick under every bucket
 * where requests went out late, so that a stall reads as a stall rather than as a dip and a burst.
 */
export function latencyPanel(s: Section, top: number): string {
  const n = s.p99.length;
  const x = (i: number) => layout.left + (i / n) * plotWidth;
  const h = layout.latency;
  const decades = Math.max(3, Math.ceil(Math.log10(Math.max(1, ...s.p99))));
  const y = (v: number) => top + h - (Math.log10(Math.max(1, v)) / decades) * h;
  const out = [
    `<g class="latency"><rect class="plot-bg" x="${layout.left}" y="${top}" width="${plotWidth}" height="${h}"/>`,
    `<text class="axis-title" x="${layout.left - 40}" y="${top + h / 2}" text-anchor="middle" transform="rotate(-90 ${layout.left - 40} ${top + h / 2})">latency</text>`,
  ];
  for (let d = 0; d <= decades; d++) {
    const v = 10 ** d;
    out.push(
      `<line class="grid" x1="${layout.left}" x2="${layout.left + plotWidth}" y1="${r1(y(v))}" y2="${r1(y(v))}"/>`,
      `<text class="tick" x="${layout.left - 6}" y="${r1(y(v) + 3.5)}" text-anchor="end">${label(v)}</text>`,
    );
  }
  for (const [name, values] of [
    ['p50', s.p50],
    ['p99', s.p99],
  ] as const) {
    for (const points of steps(values, x, y)) {
      out.push(
        `<polyline class="${name}" fill="none" stroke="${latencyColors[name]}" stroke-width="1.4" points="${points}"><title>${name} latency by intended start</title></polyline>`,
      );
    }
  }
  s.late.forEach((late, i) => {
    if (late > 0)
      out.push(
        `<rect class="late-tick" x="${r1(x(i))}" y="${top + h + 1}" width="${r1(Math.max(2, x(i + 1) - x(i)))}" height="5" fill="${latencyColors.late}"><title>${late} requests went out ${lateMs} ms or more after their intended start (p99 ${label(s.p99[i]!)})</title></rect>`,
      );
  });
  out.push('</g>');
  return out.join('');
}
