import type { RolloutEvent } from '../common/rollout-event.ts';
import type { TimelineData } from './timeline-data.ts';

/** One load phase drawn on its own axis: requests per bucket, the share per version, the events inside it. */
export interface Section {
  phase: string;
  /** Window drawn (epoch ms, ledger clock). */
  start: number;
  end: number;
  /** Start of bucket 0 and the bucket size after downsampling. */
  origin: number;
  bucketMs: number;
  served: number[];
  refused: number[];
  failed: number[];
  /** responses per version per bucket, in `versions` order. */
  byVersion: number[][];
  /** latency by intended start per bucket, ms (merged buckets keep the highest); 0: none meant to start. */
  p50: number[];
  p99: number[];
  /** requests that went out late per bucket (by intended start). */
  late: number[];
  events: RolloutEvent[];
  rollout?: { start: number; end?: number };
  totals: { total: number; served: number; refused: number; failed: number };
}

export interface TimelineModel {
  /** the run's time zero: the earliest event or request (epoch ms). */
  t0: number;
  t1: number;
  versions: string[];
  sections: Section[];
  /** every event, deduplicated, in time order. */
  events: RolloutEvent[];
}

const phaseOrder = ['install', 'upgrade', 'rollback'];

/** The same event reported twice (same time, kind, replica) is drawn once. */
function dedupe(events: readonly RolloutEvent[]): RolloutEvent[] {
  const seen = new Set<string>();
  const out: RolloutEvent[] = [];
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    const key = `${e.t}|${e.kind}|${e.component ?? ''}|${e.replica ?? ''}|${JSON.stringify(e.detail ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** A phase's window: its requests, its rollout, and its own `<phase>-started` … `-complete|-failed` markers. */
function phaseWindow(data: TimelineData, events: RolloutEvent[], phase: string): [number, number] | undefined {
  const spans: [number, number][] = [];
  const buckets = data.phases[phase];
  const last = buckets?.buckets.at(-1);
  if (buckets && last) spans.push([buckets.buckets[0]!.t, last.t + buckets.bucketMs]);
  const rollout = data.rollouts[phase];
  if (rollout) spans.push([rollout.start, rollout.end ?? rollout.start]);
  const started = events.find((e) => e.kind === `${phase}-started`);
  if (started) {
    const done = events.find((e) => e.t >= started.t && /-(complete|failed)$/.test(e.kind) && e.kind.startsWith(phase));
    spans.push([started.t, done?.t ?? started.t]);
  }
  if (spans.length === 0) return undefined;
  const start = Math.min(...spans.map((s) => s[0]));
  const end = Math.max(...spans.map((s) => s[1]));
  const pad = Math.max(300, (end - start) * 0.03);
  return [start - pad, end + pad];
}

function section(data: TimelineData, events: RolloutEvent[], phase: string, versions: string[], maxPoints: number) {
  const window = phaseWindow(data, events, phase);
  if (!window) return undefined;
  const source = data.phases[phase];
  const baseMs = source?.bucketMs ?? 100;
  const anchor = source && source.buckets.length > 0 ? source.origin : window[0];
  const firstIndex = Math.floor((window[0] - anchor) / baseMs);
  const raw = Math.max(1, Math.ceil((window[1] - anchor) / baseMs) - firstIndex);
  const merge = Math.max(1, Math.ceil(raw / maxPoints));
  const bucketMs = baseMs * merge;
  const origin = anchor + firstIndex * baseMs;
  const n = Math.ceil(raw / merge);
  const zeros = () => new Array<number>(n).fill(0);
  const s: Section = {
    phase,
    start: origin,
    end: origin + n * bucketMs,
    origin,
    bucketMs,
    served: zeros(),
    refused: zeros(),
    failed: zeros(),
    byVersion: versions.map(zeros),
    p50: zeros(),
    p99: zeros(),
    late: zeros(),
    events: [],
    ...(data.rollouts[phase] ? { rollout: data.rollouts[phase] } : {}),
    totals: { total: 0, served: 0, refused: 0, failed: 0 },
  };
  for (const b of source?.buckets ?? []) {
    const i = Math.floor((b.t - origin) / bucketMs);
    if (i < 0 || i >= n) continue;
    s.served[i]! += b.served;
    s.refused[i]! += b.refused;
    s.failed[i]! += b.failed;
    s.p50[i] = Math.max(s.p50[i]!, b.p50 ?? 0);
    s.p99[i] = Math.max(s.p99[i]!, b.p99 ?? 0);
    s.late[i]! += b.late ?? 0;
    for (const [version, count] of Object.entries(b.byVersion)) s.byVersion[versions.indexOf(version)]![i]! += count;
    s.totals.served += b.served;
    s.totals.refused += b.refused;
    s.totals.failed += b.failed;
  }
  s.totals.total = s.totals.served + s.totals.refused + s.totals.failed;
  s.events = events.filter((e) => e.t >= s.start && e.t <= s.end);
  return s;
}

/**
 * The drawing model of timeline.html: one section per phase (install, upgrade, rollback, then any other
 * phase the ledgers name), each with at most `maxPoints` buckets (neighbouring buckets are summed beyond).
 */
export function timelineModel(data: TimelineData, maxPoints = 2000): TimelineModel {
  const events = dedupe(data.events);
  const versions: string[] = [];
  for (const p of Object.values(data.phases)) for (const v of p.versions) if (!versions.includes(v)) versions.push(v);
  const names = [...phaseOrder, ...Object.keys(data.phases).filter((p) => !phaseOrder.includes(p))];
  const sections = names
    .map((phase) => section(data, events, phase, versions, maxPoints))
    .filter((s): s is Section => s !== undefined)
    .sort((a, b) => a.start - b.start);
  const times = [...events.map((e) => e.t), ...sections.flatMap((s) => [s.start, s.end])];
  const t0 = times.length > 0 ? Math.min(...times) : 0;
  const t1 = times.length > 0 ? Math.max(...times) : 0;
  return { t0, t1, versions, sections, events };
}
