import { outcomeOf } from './columns.ts';
import type { LedgerView } from './ledger-view.ts';

export interface Bucket {
  /** Start of the bucket on the ledger's clock (ms). */
  t: number;
  served: number;
  refused: number;
  failed: number;
  /** Responses per `x-gateway-version` in this bucket (versions with none are left out). */
  byVersion: Record<string, number>;
  /**
   * Latency (end minus intended start, ms) of the requests the rate clock meant to start in this bucket:
   * median and 99th percentile (nearest rank); 0 when none was meant to.
   */
  p50: number;
  p99: number;
  /** requests meant to start in this bucket that went out `lateMs` or more after their intended start. */
  late: number;
}

/** A request sent this much after its intended start counts as late on the timeline. */
export const lateMs = 50;

function rank(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

export interface BucketTimeline {
  bucketMs: number;
  /** Clock of the first bucket's start (the earliest request end, floored to the bucket size); 0 when empty. */
  origin: number;
  versions: string[];
  buckets: Bucket[];
}

/**
 * Requests per bucket of `ms`, by the time each one ended (when its fate was known); latency and lateness
 * by the time each one was meant to start (a stall shows where it began, not where it was answered).
 */
export function bucketize(view: LedgerView, ms = 100): BucketTimeline {
  if (!(ms > 0)) throw new RangeError(`ledger: bucket size must be > 0 ms (got ${ms})`);
  const { columns: c, size } = view;
  const versions = view.servers.first.values();
  if (size === 0) return { bucketMs: ms, origin: 0, versions: [], buckets: [] };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < size; i++) {
    if (c.end[i]! < first) first = c.end[i]!;
    if (c.end[i]! > last) last = c.end[i]!;
  }
  const origin = Math.floor(first / ms) * ms;
  const n = Math.floor((last - origin) / ms) + 1;
  const counts = new Uint32Array(n * 3);
  const perVersion = new Uint32Array(n * versions.length);
  const latencies: number[][] = Array.from({ length: n }, () => []);
  const late = new Uint32Array(n);
  for (let i = 0; i < size; i++) {
    const b = Math.floor((c.end[i]! - origin) / ms);
    counts[b * 3 + outcomeOf(c.flags[i]!)]!++;
    perVersion[b * versions.length + view.servers.firstId(c.server[i]!)]!++;
    const intended = view.intendedAt(i);
    const a = Math.min(n - 1, Math.max(0, Math.floor((intended - origin) / ms)));
    latencies[a]!.push(view.latencyAt(i));
    if (c.start[i]! - intended >= lateMs) late[a]!++;
  }
  const buckets: Bucket[] = [];
  for (let b = 0; b < n; b++) {
    const sorted = latencies[b]!.sort((x, y) => x - y);
    const byVersion: Record<string, number> = {};
    for (let v = 1; v < versions.length; v++) {
      const k = perVersion[b * versions.length + v]!;
      if (k > 0) byVersion[versions[v]!] = k;
    }
    buckets.push({
      t: origin + b * ms,
      served: counts[b * 3]!,
      refused: counts[b * 3 + 1]!,
      failed: counts[b * 3 + 2]!,
      byVersion,
      p50: Math.round(rank(sorted, 50) * 10) / 10,
      p99: Math.round(rank(sorted, 99) * 10) / 10,
      late: late[b]!,
    });
  }
  return { bucketMs: ms, origin, versions: versions.slice(1), buckets };
}
