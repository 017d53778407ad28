/**
 * The vocabulary of the request ledger (DESIGN.md "Ledger failure classes"): how a request was made,
 * what became of it, and — when it failed — why.
 */
export const requestKinds = ['keep-alive', 'fresh-connection', 'stream'] as const;
export type RequestKind = (typeof requestKinds)[number];

export const outcomes = ['served', 'refused-as-expected', 'failed'] as const;
export type Outcome = (typeof outcomes)[number];

export const failureClasses = [
  'connect-refused',
  'reset',
  'closed',
  'timeout',
  'http-5xx',
  'unexpected-status',
  'stream-truncated',
] as const;
export type FailureClass = (typeof failureClasses)[number];

/**
 * One request as the ledger records it. Times are ms on the ledger's clock (`Ledger.clock()`).
 * Latency, as a user waiting for the request feels it, is `end - intended` (open model, no coordinated
 * omission); `end - start` is the time the request spent on the wire.
 */
export interface LedgerRow {
  /** When the rate clock meant it to start (<= `start`; omitted: the same as `start`). */
  intended?: number;
  /** When it was actually written to a connection. */
  start: number;
  end: number;
  consumer: string;
  kind: RequestKind;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  /** `x-gateway-version` of the response, '' when absent. */
  version: string;
  /** `x-served-by` of the response, '' when absent. */
  replica: string;
  promptTokens: number;
  completionTokens: number;
  /** Integer micro-USD; 0 unless served. */
  costMicroUsd: number;
  outcome: Outcome;
  /** Set exactly when `outcome` is `failed`. */
  failureClass: FailureClass | null;
  /** '' when none. */
  error: string;
}
