import type { RolloutEvent } from '../common/rollout-event.ts';
import { clockLabel, escapeXml, r1 } from './timeline-scale.ts';
import { describeEvent, type Glyph, markerLabel, runMarkerColor } from './timeline-style.ts';

/** Geometry shared by the timeline's drawings (px). */
export const layout = {
  width: 1160,
  left: 130,
  right: 18,
  labelRow: 13,
  requests: 150,
  latency: 64,
  share: 54,
  lane: 17,
  gap: 10,
};

/** The small shape of a replica event in its lane (and in the legend). */
export function glyph(shape: Glyph, x: number, y: number, color: string): string {
  const [X, Y] = [r1(x), r1(y)];
  switch (shape) {
    case 'circle':
      return `<circle cx="${X}" cy="${Y}" r="3.5" fill="${color}"/>`;
    case 'ring':
      return `<circle cx="${X}" cy="${Y}" r="3.2" fill="#fff" stroke="${color}" stroke-width="1.5"/>`;
    case 'triangle':
      return `<polygon points="${r1(x - 4)},${r1(y + 3.5)} ${r1(x + 4)},${r1(y + 3.5)} ${X},${r1(y - 4)}" fill="${color}"/>`;
    case 'square':
      return `<rect x="${r1(x - 3)}" y="${r1(y - 3)}" width="6" height="6" fill="${color}"/>`;
    case 'diamond':
      return `<polygon points="${r1(x - 4)},${Y} ${X},${r1(y - 4)} ${r1(x + 4)},${Y} ${X},${r1(y + 4)}" fill="${color}"/>`;
    case 'bar':
      return `<rect x="${r1(x - 1)}" y="${r1(y - 6)}" width="2" height="12" fill="${color}"/>`;
    case 'cross':
      return `<path d="M${r1(x - 3.5)} ${r1(y - 3.5)}L${r1(x + 3.5)} ${r1(y + 3.5)}M${r1(x - 3.5)} ${r1(y + 3.5)}L${r1(x + 3.5)} ${r1(y - 3.5)}" stroke="${color}" stroke-width="2"/>`;
  }
}

/**
 * Labels of run markers, spread over `rows` rows so that they do not overlap; a label that fits nowhere is left
 * out (its line stays, with the label as its tooltip). Labels near the right edge end at their line.
 */
export function placeLabels(
  markers: RolloutEvent[],
  x: (t: number) => number,
  rows: number,
): { e: RolloutEvent; x: number; row: number | undefined; anchor: 'start' | 'end' }[] {
  const ends = new Array<number>(rows).fill(Number.NEGATIVE_INFINITY);
  const right = layout.width - layout.right;
  return markers.map((e) => {
    const at = x(e.t);
    const width = markerLabel(e).length * 6.2 + 4;
    const anchor = at + width > right ? 'end' : 'start';
    const from = anchor === 'end' ? at - width : at;
    const row = ends.findIndex((end) => from > end + 4);
    if (row >= 0) ends[row] = from + width;
    return { e, x: at, row: row >= 0 ? row : undefined, anchor };
  });
}

/** A run-level marker: a dashed line from its label down to `bottom`, the label as its tooltip too. */
export function runMarker(m: ReturnType<typeof placeLabels>[number], t0: number, bottom: number): string {
  const color = runMarkerColor(m.e.kind);
  const labelY = (m.row ?? 0) * layout.labelRow + 10;
  const x = r1(m.x);
  const label =
    m.row === undefined
      ? ''
      : `<text x="${x}" y="${labelY}" fill="${color}" class="marker-label" text-anchor="${m.anchor}">${escapeXml(markerLabel(m.e))}</text>`;
  return [
    `<g class="marker run" data-kind="${escapeXml(m.e.kind)}"><title>${escapeXml(`${clockLabel(m.e.t - t0)} ${describeEvent(m.e)}`)}</title>`,
    `<line x1="${x}" x2="${x}" y1="${m.row === undefined ? labelY - 8 : labelY + 3}" y2="${bottom}" stroke="${color}" stroke-dasharray="4 3"/>`,
    `${label}</g>`,
  ].join('');
}
