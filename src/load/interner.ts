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
