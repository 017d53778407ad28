import { ResponseParseError, type ResponseSink } from './http1-types.ts';

/**
 * De-chunks a `transfer-encoding: chunked` body (RFC 9112 §7.1) byte by byte where it must (size lines,
 * the CRLF after each chunk, trailers) and by slices where it can (chunk data), so that a chunk split
 * anywhere across socket reads parses the same. Chunk extensions and trailers are skipped.
 */
export class ChunkedBody {
  #state: 'size' | 'extension' | 'data' | 'data-end' | 'trailers' | 'done' = 'size';
  #size = 0;
  #digits = 0;
  #remaining = 0;
  /** Bytes on the current trailer line so far (an empty line ends the body). */
  #lineBytes = 0;

  get done(): boolean {
    return this.#state === 'done';
  }

  reset(): void {
    this.#state = 'size';
    this.#size = 0;
    this.#digits = 0;
  }

  /** Consumes bytes from `at`; returns where it stopped (the body's end, or `data.length`). */
  feed(data: Buffer, at: number, sink: ResponseSink): number {
    let i = at;
    while (i < data.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, data.length - i);
        sink.onBody(data.subarray(i, i + take));
        this.#remaining -= take;
        i += take;
        if (this.#remaining === 0) this.#state = 'data-end';
        continue;
      }
      this.#byte(data[i]!);
      i++;
    }
    return i;
  }

  #byte(b: number): void {
    switch (this.#state) {
      case 'size': {
        const digit = hexValue(b);
        if (digit >= 0) {
          this.#size = this.#size * 16 + digit;
          if (++this.#digits > 12) throw new ResponseParseError('chunk size too large');
        } else if (b === 0x0a) this.#sizeLineEnd();
        else this.#state = 'extension'; // `;name=value`, or the CR before the LF
        return;
      }
      case 'extension':
        if (b === 0x0a) this.#sizeLineEnd();
        return;
      case 'data-end': // the CRLF after a chunk's data
        if (b === 0x0a) this.reset();
        else if (b !== 0x0d) throw new ResponseParseError('chunk data not followed by CRLF');
        return;
      case 'trailers':
        if (b === 0x0a) {
          if (this.#lineBytes === 0) this.#state = 'done';
          this.#lineBytes = 0;
        } else if (b !== 0x0d) this.#lineBytes++;
        return;
    }
  }

  #sizeLineEnd(): void {
    if (this.#digits === 0) throw new ResponseParseError('chunk size line without a size');
    if (this.#size === 0) {
      this.#state = 'trailers';
      this.#lineBytes = 0;
    } else {
      this.#remaining = this.#size;
      this.#state = 'data';
    }
  }
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}
