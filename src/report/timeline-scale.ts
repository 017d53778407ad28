/** Axis helpers of timeline.html: nice maxima, tick steps, compact numbers. */

export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

/** A tick step (ms) that gives about `target` ticks over `spanMs`. */
export function timeStep(spanMs: number, target = 10): number {
  const steps = [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((s) => spanMs / s <= target) ?? 1_800_000;
}

/** Seconds since the run's start: `+8.2 s`, `+1:05`. */
export function clockLabel(ms: number, step = 100): string {
  const s = ms / 1000;
  if (s >= 120) return `+${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `+${s.toFixed(step < 1000 ? 1 : 0)} s`;
}

/** One decimal is enough for SVG coordinates. */
export const r1 = (n: number): string => String(Math.round(n * 10) / 10);

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
