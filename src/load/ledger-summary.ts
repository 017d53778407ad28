import { classOf, kindOf, outcomeOf } from './columns.ts';
import type { LedgerView } from './ledger-view.ts';
import { type FailureClass, failureClasses } from './types.ts';

export interface LedgerSummary {
  total: number;
  served: number;
  /** Refused as expected (a 403/429 that the consumer was meant to get). */
  refused: number;
  failed: number;
  /** Every failure class, 0 when none. */
  byClass: Record<FailureClass, number>;
  /** Responses (any status) per `x-gateway-version`; requests without a response are not counted. */
  byVersion: Record<string, number>;
  /** Cost of the served requests, integer micro-USD. */
  costMicroUsd: number;
  /** Requests per second over the span from the first start to the last end. */
  ratePerSec: number;
  /** Requests of kind `stream`. */
  streams: number;
}

const streamKind = 2;

/** The summary of the first `size` rows (all by default: a prefix is the load's own rows, before any probe). */
export function summarize(view: LedgerView, size = view.size): LedgerSummary {
  const { columns: c } = view;
  const outcomeCounts = [0, 0, 0];
  const classCounts = new Array<number>(failureClasses.length).fill(0);
  const versionCounts = new Array<number>(view.servers.first.size).fill(0);
  let cost = 0;
  let streams = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < size; i++) {
    const flags = c.flags[i]!;
    const outcome = outcomeOf(flags);
    outcomeCounts[outcome]!++;
    if (outcome === 2) classCounts[classOf(flags)]!++;
    if (outcome === 0) cost += view.costAt(i);
    if (kindOf(flags) === streamKind) streams++;
    versionCounts[view.servers.firstId(c.server[i]!)]!++;
    if (c.start[i]! < first) first = c.start[i]!;
    if (c.end[i]! > last) last = c.end[i]!;
  }
  const byVersion: Record<string, number> = {};
  view.servers.first.values().forEach((v, id) => {
    if (v !== '' && versionCounts[id]! > 0) byVersion[v] = versionCounts[id]!;
  });
  const spanMs = size > 0 ? last - first : 0;
  return {
    total: size,
    served: outcomeCounts[0]!,
    refused: outcomeCounts[1]!,
    failed: outcomeCounts[2]!,
    byClass: Object.fromEntries(failureClasses.map((k, i) => [k, classCounts[i]!])) as Record<FailureClass, number>,
    byVersion,
    costMicroUsd: cost,
    ratePerSec: spanMs > 0 ? (size * 1000) / spanMs : 0,
    streams,
  };
}

export function costByConsumer(view: LedgerView): Record<string, number> {
  const sums = new Array<number>(view.consumers.size).fill(0);
  const seen = new Uint8Array(view.consumers.size);
  for (let i = 0; i < view.size; i++) {
    const id = view.columns.consumer[i]!;
    seen[id] = 1;
    if (outcomeOf(view.columns.flags[i]!) === 0) sums[id]! += view.costAt(i);
  }
  const out: Record<string, number> = {};
  view.consumers.values().forEach((name, id) => {
    if (seen[id]) out[name] = sums[id]!;
  });
  return out;
}
