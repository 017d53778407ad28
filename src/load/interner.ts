/**
 * Maps strings to small integer ids (0 is always ''), so that a million ledger rows hold a few
 * distinct consumers, versions and replicas as 2-byte ids. Past `capacity` distinct strings a new
 * string gets the id of `overflow` instead, which says so; it never grows without bound.
 */
export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #strings: string[] = [];
  readonly #capacity: number;
  readonly #overflow: string;

  constructor(capacity = 0xffff, overflow = '(not kept: too many distinct values)') {
    this.#capacity = capacity;
    this.#overflow = overflow;
    this.id('');
  }

  id(value: string): number {
    const known = this.#ids.get(value);
    if (known !== undefined) return known;
    if (this.#strings.length >= this.#capacity - 1 && value !== this.#overflow) return this.id(this.#overflow);
    const id = this.#strings.length;
    this.#strings.push(value);
    this.#ids.set(value, id);
    return id;
  }

  string(id: number): string {
    const value = this.#strings[id];
    if (value === undefined) throw new RangeError(`interner: unknown id ${id}`);
    return value;
  }

  get size(): number {
    return this.#strings.length;
  }

  /** Every interned string, indexed by id. */
  values(): readonly string[] {
    return this.#strings;
  }
}

/**
 * Interns pairs of strings (a response's version and replica) as one small id, each side interned on
 * its own; the ledger keeps one 2-byte id per row for both.
 */
export class PairInterner {
  readonly first = new Interner();
  readonly second = new Interner();
  readonly #ids = new Map<number, number>();
  readonly #firstOf: number[] = [];
  readonly #secondOf: number[] = [];
  readonly #capacity: number;

  constructor(capacity = 0xffff) {
    this.#capacity = capacity;
    this.id('', '');
  }

  id(a: string, b: string): number {
    const key = this.first.id(a) * 0x10000 + this.second.id(b);
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    if (this.#firstOf.length >= this.#capacity - 1) {
      const overflow = '(not kept: too many distinct values)';
      if (a !== overflow) return this.id(overflow, overflow);
    }
    const id = this.#firstOf.length;
    this.#firstOf.push(key >>> 16);
    this.#secondOf.push(key & 0xffff);
    this.#ids.set(key, id);
    return id;
  }

  /** Pairs interned so far (ids 0 .. size - 1). */
  get size(): number {
    return this.#firstOf.length;
  }

  firstId(pair: number): number {
    return this.#firstOf[pair]!;
  }

  secondId(pair: number): number {
    return this.#secondOf[pair]!;
  }
}
