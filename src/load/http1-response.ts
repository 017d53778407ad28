/**
 * An incremental HTTP/1.1 response parser for the load generator's own connections (connection.ts):
 * status line and headers, then a body framed by `content-length`, by `transfer-encoding: chunked`
 * (see chunked-body.ts) or by the connection's close. It keeps from the headers only what the ledger
 * and the connection need. One response at a time: the generator does not pipeline.
 */
import { ChunkedBody } from './chunked-body.ts';
import { type ParsedHead, parseHead } from './http1-head.ts';
import { ResponseParseError, type ResponseSink } from './http1-types.ts';

const maxHeadBytes = 64 * 1024;
/** Statuses that never have a body (HEAD is never sent). */
const bodiless = (status: number) => status === 204 || status === 304 || (status >= 100 && status < 200);

export class ResponseParser {
  readonly #sink: ResponseSink;
  #state: 'head' | 'length' | 'chunked' | 'until-close' | 'done' = 'head';
  /** Head bytes of an earlier socket chunk, when the head spans several. */
  #pending: Buffer | null = null;
  #remaining = 0;
  readonly #chunked = new ChunkedBody();

  constructor(sink: ResponseSink) {
    this.#sink = sink;
  }

  /** True while the body runs to the connection's close: the close then completes the response. */
  get untilClose(): boolean {
    return this.#state === 'until-close';
  }

  /** Ready for the next response on the same connection. */
  reset(): void {
    this.#state = 'head';
    this.#pending = null;
  }

  /** Feeds socket bytes; returns how many bytes followed the end of the response (0 while it goes on). */
  feed(data: Buffer): number {
    let at = 0;
    while (at < data.length) {
      if (this.#state === 'head') at = this.#head(data, at);
      else if (this.#state === 'length') at = this.#length(data, at);
      else if (this.#state === 'chunked') at = this.#chunkedBody(data, at);
      else if (this.#state === 'until-close') {
        this.#sink.onBody(data.subarray(at));
        at = data.length;
      } else return data.length - at;
    }
    return 0;
  }

  /** Signals the connection's end to a body that runs until the close. */
  closed(): void {
    if (this.#state !== 'until-close') return;
    this.#state = 'done';
    this.#sink.onComplete();
  }

  #head(data: Buffer, at: number): number {
    const prior = this.#pending;
    const buf = prior ? Buffer.concat([prior, data.subarray(at)]) : data;
    const from = prior ? 0 : at;
    // Searched as a latin1 string (one character per byte): a string search costs a fraction of
    // Buffer#indexOf's native call, and parseHead reads the same string.
    const text = buf.toString('latin1', from, Math.min(buf.length, from + maxHeadBytes));
    const end = text.indexOf('\r\n\r\n', prior ? Math.max(0, prior.length - 3) : 0);
    if (end < 0) {
      if (text.length >= maxHeadBytes) throw new ResponseParseError('response head over 64 KiB');
      this.#pending = Buffer.from(buf.subarray(from)); // a copy: the read buffer is reused
      return data.length;
    }
    this.#pending = null;
    this.#startBody(parseHead(text, end));
    // Where the head ends in `data`: `end` counts from `from` in `buf`, which is `prior` (if any)
    // followed by `data` from `at`.
    return prior ? at + end + 4 - prior.length : at + end + 4;
  }

  #startBody(h: ParsedHead): void {
    if (h.head.status >= 100 && h.head.status < 200) return; // 1xx: informational, the real head follows
    this.#sink.onHead(h.head);
    if (bodiless(h.head.status)) this.#finish();
    else if (h.chunked) {
      this.#chunked.reset();
      this.#state = 'chunked';
    } else if (h.length !== null) {
      this.#remaining = h.length;
      this.#state = 'length';
      if (h.length === 0) this.#finish();
    } else {
      h.head.keepAlive = false; // the body's end is the connection's end
      this.#state = 'until-close';
    }
  }

  #length(data: Buffer, at: number): number {
    const take = Math.min(this.#remaining, data.length - at);
    this.#sink.onBody(take === data.length ? data : data.subarray(at, at + take));
    this.#remaining -= take;
    if (this.#remaining === 0) this.#finish();
    return at + take;
  }

  #chunkedBody(data: Buffer, at: number): number {
    const next = this.#chunked.feed(data, at, this.#sink);
    if (this.#chunked.done) this.#finish();
    return next;
  }

  #finish(): void {
    this.#state = 'done';
    this.#sink.onComplete();
  }
}
