import { z } from 'zod';

/**
 * The `latency-held` thresholds (`thresholds:` in upcert.config.yaml). Latency takes k6's threshold syntax
 * (https://grafana.com/docs/k6/latest/using-k6/thresholds/: `p(99) < 500`, `max < 5000`, `avg`, `med`), with
 * units (`ms`, `s`) and two additions where k6 has nothing to compare with: a bound relative to the same
 * statistic in the steady window before the rollout (`5x steady`) and the larger of several bounds
 * (`max(5x steady, 500ms)`). Throughput: `every 1s >= 80% offered` (served requests in every 1-second
 * window of the rollout, against the requests the rate clock meant to start in it).
 */
export type Bound = { kind: 'ms'; ms: number } | { kind: 'steady'; factor: number } | { kind: 'max'; of: Bound[] };
export type LatencyStat = 'max' | 'avg' | 'med' | `p(${number})`;

export interface LatencyThreshold {
  text: string;
  stat: LatencyStat;
  /** `<=` when inclusive. */
  inclusive: boolean;
  bound: Bound;
}

export interface ThroughputThreshold {
  text: string;
  windowMs: number;
  /** the least share of the offered rate, 0..1. */
  share: number;
  inclusive: boolean;
}

const num = String.raw`(\d+(?:\.\d+)?)`;

function parseBound(text: string): Bound {
  const t = text.trim();
  const max = /^max\((.*)\)$/.exec(t);
  if (max) {
    const parts = max[1]!.split(',').map((p) => p.trim());
    if (parts.length < 2) throw new Error(`max(...) needs at least two bounds: ${t}`);
    return { kind: 'max', of: parts.map(parseBound) };
  }
  const steady = new RegExp(`^${num}\\s*x\\s+steady$`).exec(t);
  if (steady) return { kind: 'steady', factor: Number(steady[1]) };
  const abs = new RegExp(`^${num}\\s*(ms|s)?$`).exec(t);
  if (abs) return { kind: 'ms', ms: Number(abs[1]) * (abs[2] === 's' ? 1000 : 1) };
  throw new Error(`expected a duration (500ms, 5s), a multiple of the steady window (5x steady) or max(...): ${t}`);
}

export function parseLatencyThreshold(text: string): LatencyThreshold {
  const m = /^\s*(p\((\d+(?:\.\d+)?)\)|max|avg|med)\s*(<=|<)\s*(.+)$/.exec(text);
  if (!m) throw new Error(`expected "<p(N)|max|avg|med> < <bound>", e.g. "p(99) < max(5x steady, 500ms)": ${text}`);
  if (m[2] !== undefined && !(Number(m[2]) > 0 && Number(m[2]) < 100))
    throw new Error(`a percentile is between 0 and 100: ${m[1]}`);
  return { text: text.trim(), stat: m[1] as LatencyStat, inclusive: m[3] === '<=', bound: parseBound(m[4]!) };
}

export function parseThroughputThreshold(text: string): ThroughputThreshold {
  const m = new RegExp(`^\\s*every\\s+${num}\\s*(ms|s)\\s*(>=|>)\\s*${num}\\s*%\\s+offered\\s*$`).exec(text);
  if (!m) throw new Error(`expected "every <window> >= <share>% offered", e.g. "every 1s >= 80% offered": ${text}`);
  const windowMs = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  const share = Number(m[4]) / 100;
  if (windowMs < 100 || share > 1) throw new Error(`a window of at least 100ms and a share of at most 100%: ${text}`);
  return { text: text.trim(), windowMs, share, inclusive: m[3] === '>=' };
}

/** A zod string that parses into a threshold; a bad one is an issue at its own path (exit 2, field named). */
function expression<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

/** Defaults that a good pair meets with room on a noisy 2-core machine (a rollout on a loaded machine stalls a second) and an 8-second stall fails by far. */
export const defaultLatencyThresholds = ['p(99) < max(5x steady, 3s)', 'max < 5s'];
export const defaultThroughputThresholds = ['every 1s >= 25% offered'];

export const latencyHeldThresholdsSchema = z.strictObject({
  latency: z.array(expression(parseLatencyThreshold)).prefault(defaultLatencyThresholds),
  throughput: z.array(expression(parseThroughputThreshold)).prefault(defaultThroughputThresholds),
});

export const thresholdsSchema = z.strictObject({
  latencyHeld: latencyHeldThresholdsSchema.prefault({}),
});

export type LatencyHeldThresholds = z.output<typeof latencyHeldThresholdsSchema>;
