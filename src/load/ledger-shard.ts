/**
 * A ledger kept by a load worker (a worker thread, `load.workers` > 1), handed to the run's ledger in chunks:
 * the rows appended since the last chunk as copies of their columns (transferred, not cloned: the worker keeps
 * nothing once a chunk is sent, so the rows live in one place at a time), with the strings of the ids they name
 * that the run's ledger has not been told yet. The run's ledger appends a chunk as it comes (`ShardMerger`),
 * re-numbering the ids into its own interners; chunks come every 100 ms, so its rows stay in the order
 * requests ended, as one generator's are, and live checks (its size) see them as they come.
 */
import type { Columns } from './columns.ts';
import type { Ledger } from './ledger.ts';

export interface LedgerChunk {
  /** Rows in the chunk. */
  rows: number;
  start: Float64Array;
  end: Float64Array;
  late: Uint32Array;
  cost: Uint32Array;
  prompt: Uint32Array;
  completion: Uint32Array;
  consumer: Uint16Array;
  server: Uint16Array;
  error: Uint16Array;
  status: Uint16Array;
  flags: Uint8Array;
  /** Costs too large for the Uint32 column, by row of the chunk. */
  bigCosts: [number, number][];
  /** New strings of the worker's interners since the last chunk: `[id, value]` (servers: `[id, version, replica]`). */
  consumers: [number, string][];
  errors: [number, string][];
  servers: [number, string, string][];
}

const columnNames = [
  'start',
  'end',
  'late',
  'cost',
  'prompt',
  'completion',
  'consumer',
  'server',
  'error',
  'status',
  'flags',
] as const;

/** The worker's side: cuts the rows since the last chunk out of its ledger. */
export class ShardCutter {
  #consumers = 0;
  #errors = 0;
  #servers = 0;

  constructor(private readonly ledger: Ledger) {}

  /** The next chunk (undefined when no row was added), and the buffers to transfer with it. */
  cut(): { chunk: LedgerChunk; transfer: ArrayBuffer[] } | undefined {
    const l = this.ledger;
    const to = l.size;
    if (to === 0) return undefined;
    const c = l.columns;
    const from = 0;
    const slice = <K extends (typeof columnNames)[number]>(k: K) => c[k].slice(from, to) as Columns[K];
    const consumers = l.consumers.values();
    const errors = l.errors.values();
    const servers: [number, string, string][] = [];
    for (let id = this.#servers; id < l.servers.size; id++) {
      servers.push([
        id,
        l.servers.first.string(l.servers.firstId(id)),
        l.servers.second.string(l.servers.secondId(id)),
      ]);
    }
    const bigCosts: [number, number][] = [];
    for (let i = from; i < to; i++) if (c.cost[i] === 0xffffffff) bigCosts.push([i - from, l.costAt(i)]);
    const chunk: LedgerChunk = {
      rows: to - from,
      start: slice('start'),
      end: slice('end'),
      late: slice('late'),
      cost: slice('cost'),
      prompt: slice('prompt'),
      completion: slice('completion'),
      consumer: slice('consumer'),
      server: slice('server'),
      error: slice('error'),
      status: slice('status'),
      flags: slice('flags'),
      bigCosts,
      consumers: consumers.slice(this.#consumers).map((v, i) => [this.#consumers + i, v]),
      errors: errors.slice(this.#errors).map((v, i) => [this.#errors + i, v]),
      servers,
    };
    this.#consumers = consumers.length;
    this.#errors = errors.length;
    this.#servers = l.servers.size;
    // the worker's own rows are handed over: it keeps only the interners (a few strings) and its columns'
    // capacity (about one chunk's rows), written over from the first row again
    l.clearRows();
    return { chunk, transfer: columnNames.map((k) => chunk[k].buffer as ArrayBuffer) };
  }
}

/**
 * The run's side: appends the chunks of one worker to the run's ledger, its ids re-numbered. `rename` may name
 * a replica the worker could not (a connection-level failure names the local port of its connection; the target
 * knows which replica that connection was bound to, and only the run's thread can ask it): it is asked for every
 * row of such a pair as the row arrives, never once for all (a local port is used again by later connections).
 */
export class ShardMerger {
  readonly #consumers = new Map<number, number>([[0, 0]]);
  readonly #errors = new Map<number, number>([[0, 0]]);
  readonly #servers = new Map<number, number>([[0, 0]]);
  /** Worker pair ids whose replica `rename` names, row by row: the version and the worker's replica. */
  readonly #renamed = new Map<number, [string, string]>();

  constructor(
    private readonly ledger: Ledger,
    private readonly rename: (replica: string) => string | undefined = () => undefined,
  ) {}

  append(chunk: LedgerChunk): void {
    const l = this.ledger;
    for (const [id, v] of chunk.consumers) this.#consumers.set(id, l.consumers.id(v));
    for (const [id, v] of chunk.errors) this.#errors.set(id, l.errors.id(v));
    for (const [id, version, replica] of chunk.servers) {
      if (this.rename(replica) !== undefined) this.#renamed.set(id, [version, replica]);
      else this.#servers.set(id, l.servers.id(version, replica));
    }
    const big = new Map(chunk.bigCosts);
    const map = (m: Map<number, number>, id: number, what: string) => {
      const mapped = m.get(id);
      if (mapped === undefined) throw new RangeError(`ledger shard: ${what} id ${id} was never named`);
      return mapped;
    };
    const server = (id: number) => {
      const renamed = this.#renamed.get(id);
      if (!renamed) return map(this.#servers, id, 'server');
      return l.servers.id(renamed[0], this.rename(renamed[1]) ?? '');
    };
    for (let i = 0; i < chunk.rows; i++) {
      l.appendColumns(
        chunk.start[i]!,
        chunk.end[i]!,
        chunk.late[i]!,
        big.get(i) ?? chunk.cost[i]!,
        chunk.prompt[i]!,
        chunk.completion[i]!,
        map(this.#consumers, chunk.consumer[i]!, 'consumer'),
        server(chunk.server[i]!),
        map(this.#errors, chunk.error[i]!, 'error'),
        chunk.status[i]!,
        chunk.flags[i]!,
      );
    }
  }
}
