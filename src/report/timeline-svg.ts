import { latencyPanel } from './timeline-latency.ts';
import { glyph, layout, placeLabels, runMarker } from './timeline-marks.ts';
import { clockLabel, escapeXml, niceCeil, r1, timeStep } from './timeline-scale.ts';
import type { Section } from './timeline-sections.ts';
import { describeEvent, isReplicaEvent, markerKinds, outcomeColors, replicaKinds } from './timeline-style.ts';

const plotWidth = layout.width - layout.left - layout.right;
const componentOrder = ['gateway', 'control-plane', 'console', 'identity', 'provider-mock'];

interface Frame {
  x: (t: number) => number;
  t0: number;
}

/** A stacked band as a step polygon: `lower[i]`..`upper[i]` over bucket i. */
function band(lower: number[], upper: number[], x: (i: number) => number, y: (v: number) => number): string {
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < upper.length; i++) {
    top.push(`${r1(x(i))},${r1(y(upper[i]!))}`, `${r1(x(i + 1))},${r1(y(upper[i]!))}`);
    bottom.push(`${r1(x(i))},${r1(y(lower[i]!))}`, `${r1(x(i + 1))},${r1(y(lower[i]!))}`);
  }
  return `${top.join(' ')} ${bottom.reverse().join(' ')}`;
}

function requestsPanel(s: Section, top: number): string {
  const n = s.served.length;
  const x = (i: number) => layout.left + (i / n) * plotWidth;
  const stack1 = s.served;
  const stack2 = s.served.map((v, i) => v + s.refused[i]!);
  const stack3 = stack2.map((v, i) => v + s.failed[i]!);
  const max = niceCeil(Math.max(1, ...stack3));
  const y = (v: number) => top + layout.requests - (v / max) * layout.requests;
  const zero = stack1.map(() => 0);
  const out = [`<g class="requests">`];
  for (const v of [0, max / 2, max]) {
    out.push(
      `<line class="grid" x1="${layout.left}" x2="${layout.left + plotWidth}" y1="${r1(y(v))}" y2="${r1(y(v))}"/>`,
      `<text class="tick" x="${layout.left - 6}" y="${r1(y(v) + 3.5)}" text-anchor="end">${v}</text>`,
    );
  }
  out.push(
    `<text class="axis-title" x="${layout.left - 40}" y="${top + layout.requests / 2}" text-anchor="middle" transform="rotate(-90 ${layout.left - 40} ${top + layout.requests / 2})">requests / ${s.bucketMs} ms</text>`,
    `<polygon class="served" fill="${outcomeColors.served}" points="${band(zero, stack1, x, y)}"/>`,
    `<polygon class="refused" fill="${outcomeColors.refused}" points="${band(stack1, stack2, x, y)}"/>`,
    `<polygon class="failed" fill="${outcomeColors.failed}" points="${band(stack2, stack3, x, y)}"/>`,
  );
  s.failed.forEach((f, i) => {
    if (f > 0)
      out.push(
        `<rect class="failed-tick" x="${r1(x(i))}" y="${top + layout.requests + 1}" width="${r1(Math.max(2, x(i + 1) - x(i)))}" height="5" fill="${outcomeColors.failed}"><title>${f} failed</title></rect>`,
      );
  });
  out.push('</g>');
  return out.join('');
}

function sharePanel(s: Section, top: number, versions: string[], colors: Map<string, string>): string {
  const n = s.served.length;
  const x = (i: number) => layout.left + (i / n) * plotWidth;
  const y = (v: number) => top + layout.share - v * layout.share;
  const totals = s.served.map((_, i) => s.byVersion.reduce((sum, row) => sum + row[i]!, 0));
  const out = [
    `<g class="share"><rect class="plot-bg" x="${layout.left}" y="${top}" width="${plotWidth}" height="${layout.share}"/>`,
    `<text class="tick" x="${layout.left - 6}" y="${top + 4}" text-anchor="end">100%</text>`,
    `<text class="tick" x="${layout.left - 6}" y="${top + layout.share + 3}" text-anchor="end">0%</text>`,
    `<text class="axis-title" x="${layout.left - 40}" y="${top + layout.share / 2 + 4}" text-anchor="middle">share</text>`,
  ];
  // contiguous runs of buckets that saw a response; gaps stay empty
  const runs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (totals[i]! === 0) continue;
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  for (const [a, b] of runs) {
    let lower = new Array<number>(b - a).fill(0);
    versions.forEach((version, v) => {
      const upper = lower.map((l, k) => l + s.byVersion[v]![a + k]! / totals[a + k]!);
      if (upper.some((u, k) => u > lower[k]!))
        out.push(
          `<polygon class="version" data-version="${escapeXml(version)}" fill="${colors.get(version)}" points="${band(lower, upper, (i) => x(a + i), y)}"/>`,
        );
      lower = upper;
    });
  }
  out.push('</g>');
  return out.join('');
}

/** One phase: run markers on top, requests per bucket, share per version, a lane per component, the time axis. */
export function sectionSvg(s: Section, index: number, t0: number, versions: string[], colors: Map<string, string>) {
  const f: Frame = { t0, x: (t) => layout.left + ((t - s.start) / (s.end - s.start)) * plotWidth };
  // journey steps are drawn on the whole run's axis; here what happened inside the phase
  const markers = s.events.filter((e) => !e.component && !e.kind.startsWith('step-'));
  const rows = Math.min(4, Math.max(1, markers.length));
  const placed = placeLabels(markers, f.x, rows);
  const reqTop = rows * layout.labelRow + 6;
  const latencyTop = reqTop + layout.requests + layout.gap;
  const shareTop = latencyTop + layout.latency + layout.gap;
  const lanesTop = shareTop + layout.share + layout.gap;
  const replicaEvents = s.events.filter(isReplicaEvent);
  const lanes = [...new Set(replicaEvents.map((e) => e.component!))].sort(
    (a, b) => (componentOrder.indexOf(a) + 1 || 99) - (componentOrder.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const axisTop = lanesTop + lanes.length * layout.lane + 4;
  const height = axisTop + 26;
  const out = [
    `<svg class="section" data-section="${index}" data-left="${layout.left}" data-width="${plotWidth}" data-top="${reqTop}" data-bottom="${shareTop + layout.share}" viewBox="0 0 ${layout.width} ${height}" width="${layout.width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect class="plot-bg" x="${layout.left}" y="${reqTop}" width="${plotWidth}" height="${layout.requests}"/>`,
  ];
  if (s.rollout) {
    const x1 = f.x(s.rollout.start);
    const x2 = f.x(s.rollout.end ?? s.end);
    out.push(
      `<rect class="rollout" x="${r1(x1)}" y="${reqTop}" width="${r1(Math.max(1, x2 - x1))}" height="${axisTop - reqTop}"><title>rollout: ${s.rollout.end === undefined ? 'did not finish' : `${((s.rollout.end - s.rollout.start) / 1000).toFixed(2)} s`}</title></rect>`,
      `<text class="rollout-label" x="${r1(x1 + 4)}" y="${reqTop + 12}">rollout</text>`,
    );
  }
  out.push(requestsPanel(s, reqTop), latencyPanel(s, latencyTop), sharePanel(s, shareTop, versions, colors));
  for (const e of replicaEvents.filter((e) => e.component === 'gateway' && markerKinds.has(e.kind))) {
    const x = r1(f.x(e.t));
    out.push(
      `<line class="marker replica" data-kind="${e.kind}" x1="${x}" x2="${x}" y1="${reqTop}" y2="${shareTop + layout.share}" stroke="${replicaKinds[e.kind]!.color}"><title>${escapeXml(describeEvent(e))}</title></line>`,
    );
  }
  lanes.forEach((component, i) => {
    const y = lanesTop + i * layout.lane + layout.lane / 2;
    out.push(
      `<text class="lane-label" x="${layout.left - 8}" y="${y + 4}" text-anchor="end">${escapeXml(component)}</text>`,
      `<line class="lane" x1="${layout.left}" x2="${layout.left + plotWidth}" y1="${y}" y2="${y}"/>`,
    );
    for (const e of replicaEvents.filter((e) => e.component === component)) {
      const style = replicaKinds[e.kind]!;
      out.push(
        `<g class="ev" data-kind="${e.kind}"><title>${escapeXml(`${clockLabel(e.t - t0)} ${describeEvent(e)}`)}</title>${glyph(style.glyph, f.x(e.t), y, style.color)}</g>`,
      );
    }
  });
  for (const m of placed) out.push(runMarker(m, t0, axisTop));
  const step = timeStep(s.end - s.start);
  out.push(`<line class="axis" x1="${layout.left}" x2="${layout.left + plotWidth}" y1="${axisTop}" y2="${axisTop}"/>`);
  for (let t = Math.ceil((s.start - t0) / step) * step; t0 + t <= s.end; t += step) {
    const x = r1(f.x(t0 + t));
    out.push(
      `<line class="axis" x1="${x}" x2="${x}" y1="${axisTop}" y2="${axisTop + 4}"/>`,
      `<text class="tick" x="${x}" y="${axisTop + 16}" text-anchor="middle">${clockLabel(t, step)}</text>`,
    );
  }
  out.push(
    `<line class="hover" x1="0" x2="0" y1="${reqTop}" y2="${shareTop + layout.share}" visibility="hidden"/>`,
    '</svg>',
  );
  return out.join('\n');
}
