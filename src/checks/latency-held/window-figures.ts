import type { LatencyStat } from '../../config/thresholds.ts';
import { outcomeOf } from '../../load/columns.ts';
import type { Ledger } from '../../load/ledger.ts';
import { outcomes } from '../../load/types.ts';

const failed = outcomes.indexOf('failed');

/** A window of the phase on the ledger's clock (epoch ms), by the requests' intended start. */
export interface Span {
  from: number;
  to: number;
}

/** Latency (end minus intended start, ms) of the requests the rate clock meant to start in a window. */
export interface WindowFigures extends Span {
  requests: number;
  /** every statistic a threshold names (`p(99)`, `max`, `avg`, `med`), plus p(50), p(99) and max, in ms. */
  stats: Record<string, number>;
}

/** The worst throughput window of one size: served requests (by end) against offered ones (by intended start). */
export interface ThroughputFigures {
  windowMs: number;
  windows: number;
  worst: { from: number; offered: number; served: number } | null;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function statOf(sorted: Float64Array, stat: LatencyStat): number {
  if (stat === 'max') return sorted.length ? sorted[sorted.length - 1]! : Number.NaN;
  if (stat === 'med') return percentile(sorted, 50);
  if (stat === 'avg') return sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return percentile(sorted, Number(stat.slice(2, -1)));
}

/** Latency figures of the first `rows` ledger rows intended within `span`. */
export function windowFigures(ledger: Ledger, rows: number, span: Span, stats: readonly LatencyStat[]): WindowFigures {
  const latencies: number[] = [];
  for (let i = 0; i < rows; i++) {
    const intended = ledger.intendedAt(i);
    if (intended >= span.from && intended < span.to) latencies.push(ledger.latencyAt(i));
  }
  const sorted = Float64Array.from(latencies).sort();
  const figures: Record<string, number> = {};
  for (const stat of new Set<LatencyStat>(['p(50)', 'p(99)', 'max', ...stats])) {
    figures[stat] = Math.round(statOf(sorted, stat) * 10) / 10;
  }
  return { ...span, requests: sorted.length, stats: figures };
}

/** Every full window of `windowMs` in `span`: the one with the lowest served/offered ratio. */
export function throughputFigures(ledger: Ledger, rows: number, span: Span, windowMs: number): ThroughputFigures {
  const n = Math.floor((span.to - span.from) / windowMs);
  const offered = new Array<number>(n).fill(0);
  const served = new Array<number>(n).fill(0);
  const flags = ledger.columns.flags;
  for (let i = 0; i < rows; i++) {
    const a = Math.floor((ledger.intendedAt(i) - span.from) / windowMs);
    if (a >= 0 && a < n) offered[a]!++;
    const b = Math.floor((ledger.columns.end[i]! - span.from) / windowMs);
    if (outcomeOf(flags[i]!) !== failed && b >= 0 && b < n) served[b]!++;
  }
  let worst: ThroughputFigures['worst'] = null;
  for (let w = 0; w < n; w++) {
    const o = offered[w]!;
    if (o === 0) continue;
    if (!worst || served[w]! / o < worst.served / worst.offered) {
      worst = { from: span.from + w * windowMs, offered: o, served: served[w]! };
    }
  }
  return { windowMs, windows: n, worst };
}
