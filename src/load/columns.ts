/**
 * The ledger's storage: one typed array per field, grown together by doubling. 41 bytes a row:
 * start and end Float64; late (µs from the intended start to the actual one), cost, prompt and
 * completion tokens Uint32; consumer, server (the interned pair of version and replica), error and
 * status Uint16; kind, outcome and failure class in one Uint8.
 */
type Typed = Float64Array | Uint32Array | Uint16Array | Uint8Array;
interface TypedCtor<T extends Typed> {
  new (length: number): T;
}

function grown<T extends Typed>(Ctor: TypedCtor<T>, old: T, capacity: number): T {
  const next = new Ctor(capacity);
  next.set(old);
  return next;
}

export class Columns {
  capacity: number;
  start: Float64Array;
  end: Float64Array;
  /** Actual start minus intended start, µs (saturates at 2^32 - 1, 71 minutes). */
  late: Uint32Array;
  cost: Uint32Array;
  prompt: Uint32Array;
  completion: Uint32Array;
  consumer: Uint16Array;
  /** Id of the (version, replica) pair that answered. */
  server: Uint16Array;
  error: Uint16Array;
  status: Uint16Array;
  /** bits 0-1 kind, 2-3 outcome, 4-6 failure class + 1 (0 = none). */
  flags: Uint8Array;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.late = new Uint32Array(capacity);
    this.cost = new Uint32Array(capacity);
    this.prompt = new Uint32Array(capacity);
    this.completion = new Uint32Array(capacity);
    this.consumer = new Uint16Array(capacity);
    this.server = new Uint16Array(capacity);
    this.error = new Uint16Array(capacity);
    this.status = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  grow(): void {
    const c = this.capacity * 2;
    this.start = grown(Float64Array, this.start, c);
    this.end = grown(Float64Array, this.end, c);
    this.late = grown(Uint32Array, this.late, c);
    this.cost = grown(Uint32Array, this.cost, c);
    this.prompt = grown(Uint32Array, this.prompt, c);
    this.completion = grown(Uint32Array, this.completion, c);
    this.consumer = grown(Uint16Array, this.consumer, c);
    this.server = grown(Uint16Array, this.server, c);
    this.error = grown(Uint16Array, this.error, c);
    this.status = grown(Uint16Array, this.status, c);
    this.flags = grown(Uint8Array, this.flags, c);
    this.capacity = c;
  }

  /** Bytes the columns hold (every typed array at its capacity): 41 per row of capacity. */
  get bytes(): number {
    const all = [this.start, this.end, this.late, this.cost, this.prompt, this.completion, this.consumer];
    return [...all, this.server, this.error, this.status, this.flags].reduce((sum, a) => sum + a.byteLength, 0);
  }
}

export const packFlags = (kind: number, outcome: number, failureClass: number): number =>
  kind | (outcome << 2) | ((failureClass + 1) << 4);
export const kindOf = (flags: number): number => flags & 3;
export const outcomeOf = (flags: number): number => (flags >> 2) & 3;
/** -1 when the row did not fail. */
export const classOf = (flags: number): number => ((flags >> 4) & 7) - 1;
