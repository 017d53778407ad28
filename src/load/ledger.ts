import { runClock } from '../common/clock.ts';
import { Columns, classOf, kindOf, outcomeOf, packFlags } from './columns.ts';
import { Interner, PairInterner } from './interner.ts';
import { type BucketTimeline, bucketize } from './ledger-buckets.ts';
import { writeLedgerCsv } from './ledger-csv.ts';
import { costByConsumer, type LedgerSummary, summarize } from './ledger-summary.ts';
import type { LedgerView } from './ledger-view.ts';
import { failureClasses, type LedgerRow, outcomes, requestKinds } from './types.ts';

const costSentinel = 0xffffffff;
const maxLateUs = 0xffffffff;
const kindIds = new Map(requestKinds.map((k, i) => [k, i]));
const outcomeIds = new Map(outcomes.map((o, i) => [o, i]));
const classIds = new Map(failureClasses.map((c, i) => [c, i]));

function count(value: number, field: string, max = 0xffffffff): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`ledger: ${field} must be an integer in [0, ${max}] (got ${value})`);
  }
  return value;
}

/**
 * The request ledger: one row per request, in columns (see columns.ts), 41 bytes a row.
 * `clock()` is the time base of every row, so that rollout events can be put on the same axis.
 */
export class Ledger implements LedgerView, Iterable<LedgerRow> {
  readonly columns = new Columns();
  readonly consumers = new Interner();
  readonly servers = new PairInterner();
  readonly errors = new Interner();
  readonly #bigCosts = new Map<number, number>();
  #size = 0;

  /** ms since the Unix epoch with sub-ms precision (the run's clock, `src/common/clock.ts`). */
  clock(): number {
    return runClock();
  }

  get size(): number {
    return this.#size;
  }

  append(row: LedgerRow): void {
    const kind = kindIds.get(row.kind);
    const outcome = outcomeIds.get(row.outcome);
    const failureClass = row.failureClass === null ? -1 : classIds.get(row.failureClass);
    if (kind === undefined || outcome === undefined || failureClass === undefined) {
      throw new RangeError(`ledger: bad row (${row.kind}, ${row.outcome}, ${row.failureClass})`);
    }
    if ((outcome === 2) !== failureClass >= 0) {
      throw new RangeError(
        `ledger: a failure class goes with outcome failed only (${row.outcome}, ${row.failureClass})`,
      );
    }
    if (!Number.isInteger(row.status) || row.status < 0 || row.status > 999) {
      throw new RangeError(`ledger: bad status ${row.status}`);
    }
    const cost = count(row.costMicroUsd, 'costMicroUsd', Number.MAX_SAFE_INTEGER);
    const c = this.columns;
    if (this.#size === c.capacity) c.grow();
    const i = this.#size;
    c.start[i] = row.start;
    c.end[i] = row.end;
    const lateUs = row.intended === undefined ? 0 : Math.round((row.start - row.intended) * 1000);
    c.late[i] = lateUs <= 0 ? 0 : Math.min(lateUs, maxLateUs);
    c.prompt[i] = count(row.promptTokens, 'promptTokens');
    c.completion[i] = count(row.completionTokens, 'completionTokens');
    c.cost[i] = Math.min(cost, costSentinel);
    if (cost >= costSentinel) this.#bigCosts.set(i, cost);
    c.consumer[i] = this.consumers.id(row.consumer);
    c.server[i] = this.servers.id(row.version, row.replica);
    c.error[i] = this.errors.id(row.error);
    c.status[i] = row.status;
    c.flags[i] = packFlags(kind, outcome, failureClass);
    this.#size = i + 1;
  }

  /**
   * The generator's append for a served request: strings already interned (`consumers`, `servers`), so
   * nothing is looked up or allocated; `intended <= start <= end`, counts are integers within range.
   */
  appendServed(
    intended: number,
    start: number,
    end: number,
    consumerId: number,
    kind: number,
    status: number,
    serverId: number,
    prompt: number,
    completion: number,
    cost: number,
  ): void {
    const c = this.columns;
    if (this.#size === c.capacity) c.grow();
    const i = this.#size;
    c.start[i] = start;
    c.end[i] = end;
    const lateUs = Math.round((start - intended) * 1000);
    c.late[i] = lateUs <= 0 ? 0 : Math.min(lateUs, maxLateUs);
    c.prompt[i] = prompt;
    c.completion[i] = completion;
    c.cost[i] = Math.min(cost, costSentinel);
    if (cost >= costSentinel) this.#bigCosts.set(i, cost);
    c.consumer[i] = consumerId;
    c.server[i] = serverId;
    c.error[i] = 0;
    c.status[i] = status;
    c.flags[i] = packFlags(kind, 0, -1);
    this.#size = i + 1;
  }

  /**
   * Appends a row in the columns' own encoding (a load worker's ledger chunk, `ledger-shard.ts`): `lateUs`
   * already µs, ids already this ledger's, `flags` packed; `cost` may exceed the Uint32 column.
   */
  appendColumns(
    start: number,
    end: number,
    lateUs: number,
    cost: number,
    prompt: number,
    completion: number,
    consumerId: number,
    serverId: number,
    errorId: number,
    status: number,
    flags: number,
  ): void {
    const c = this.columns;
    if (this.#size === c.capacity) c.grow();
    const i = this.#size;
    c.start[i] = start;
    c.end[i] = end;
    c.late[i] = lateUs;
    c.prompt[i] = prompt;
    c.completion[i] = completion;
    c.cost[i] = Math.min(cost, costSentinel);
    if (cost >= costSentinel) this.#bigCosts.set(i, cost);
    c.consumer[i] = consumerId;
    c.server[i] = serverId;
    c.error[i] = errorId;
    c.status[i] = status;
    c.flags[i] = flags;
    this.#size = i + 1;
  }

  /**
   * Forgets every row, keeping the interners and the columns' capacity (a load worker, once it handed its rows
   * to the run's ledger).
   */
  clearRows(): void {
    this.#size = 0;
    this.#bigCosts.clear();
  }

  costAt(i: number): number {
    const cost = this.columns.cost[i]!;
    return cost === costSentinel ? this.#bigCosts.get(i)! : cost;
  }

  intendedAt(i: number): number {
    return this.columns.start[i]! - this.columns.late[i]! / 1000;
  }

  latencyAt(i: number): number {
    return this.columns.end[i]! - this.intendedAt(i);
  }

  row(i: number): LedgerRow {
    if (!Number.isInteger(i) || i < 0 || i >= this.#size) throw new RangeError(`ledger: no row ${i}`);
    const c = this.columns;
    const flags = c.flags[i]!;
    const failureClass = classOf(flags);
    return {
      intended: this.intendedAt(i),
      start: c.start[i]!,
      end: c.end[i]!,
      consumer: this.consumers.string(c.consumer[i]!),
      kind: requestKinds[kindOf(flags)]!,
      status: c.status[i]!,
      version: this.servers.first.string(this.servers.firstId(c.server[i]!)),
      replica: this.servers.second.string(this.servers.secondId(c.server[i]!)),
      promptTokens: c.prompt[i]!,
      completionTokens: c.completion[i]!,
      costMicroUsd: this.costAt(i),
      outcome: outcomes[outcomeOf(flags)]!,
      failureClass: failureClass < 0 ? null : failureClasses[failureClass]!,
      error: this.errors.string(c.error[i]!),
    };
  }

  *[Symbol.iterator](): Iterator<LedgerRow> {
    for (let i = 0; i < this.#size; i++) yield this.row(i);
  }

  /** Summary of every row, or of the first `rows`. */
  summary(rows = this.#size): LedgerSummary {
    return summarize(this, Math.min(rows, this.#size));
  }

  /** Cost of the served requests per consumer, integer micro-USD (consumers with no cost included as 0). */
  costByConsumer(): Record<string, number> {
    return costByConsumer(this);
  }

  bucketize(ms = 100): BucketTimeline {
    return bucketize(this, ms);
  }

  /** Writes every row as CSV (RFC 4180, CRLF, header first), streaming; resolves once the file is closed. */
  writeCsv(path: string): Promise<void> {
    return writeLedgerCsv(this, path);
  }
}
