import type { RequestKind } from './types.ts';

/**
 * Picks request kinds in the exact proportions of the mix, deterministically (smooth weighted
 * round-robin): after n picks each kind is within one of n × its share.
 */
export class MixPicker {
  readonly #kinds: RequestKind[] = ['keep-alive', 'fresh-connection', 'stream'];
  readonly #weights: number[];
  readonly #credit = [0, 0, 0];

  constructor(mix: { keepAlive: number; freshConnection: number; stream: number }) {
    this.#weights = [mix.keepAlive, mix.freshConnection, mix.stream];
  }

  next(): RequestKind {
    let best = 0;
    for (let k = 0; k < 3; k++) {
      this.#credit[k]! += this.#weights[k]!;
      if (this.#credit[k]! > this.#credit[best]!) best = k;
    }
    this.#credit[best]! -= 1;
    return this.#kinds[best]!;
  }
}
