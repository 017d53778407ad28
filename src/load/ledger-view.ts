import type { Columns } from './columns.ts';
import type { Interner, PairInterner } from './interner.ts';

/** Read access for the ledger's own readers (summary, CSV, buckets): columns and interned strings. */
export interface LedgerView {
  readonly size: number;
  readonly columns: Columns;
  readonly consumers: Interner;
  /** (version, replica) pairs; `servers.first` holds the versions, `servers.second` the replicas. */
  readonly servers: PairInterner;
  readonly errors: Interner;
  costAt(i: number): number;
  /** When row `i` was meant to start (the rate clock's time), ms on the ledger's clock. */
  intendedAt(i: number): number;
  /** Latency of row `i` as its user felt it: end minus intended start, ms. */
  latencyAt(i: number): number;
}
