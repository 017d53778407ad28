/**
 * An incremental HTTP/1.1 response parser for the load generator's own connections (connection.ts):
 * status line and headers, then a body framed by `content-length`, by `transfer-encoding: chunked`
 * (see chunked-body.ts) or by the connection's close. It keeps from the headers only what the ledger
 * and the connection need. One response at a time: the generator does not pipeline.
 */
import { ChunkedBody } from './chunked-body.ts';
import { type ResponseHead, ResponseParseError, type ResponseSink } from './http1-types.ts';

const maxHeadBytes = 64 * 1024;
const headEnd = Buffer.from('\r\n\r\n');
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
    const end = buf.indexOf(headEnd, prior ? Math.max(0, prior.length - 3) : at);
    if (end < 0) {
      if (buf.length - from > maxHeadBytes) throw new ResponseParseError('response head over 64 KiB');
      this.#pending = Buffer.from(buf.subarray(from)); // a copy: the read buffer is reused
      return data.length;
    }
    this.#pending = null;
    this.#startBody(parseHead(buf.toString('latin1', from, end)));
    // Where the head ends in `data` (with `prior`, `buf` is `prior` followed by `data` from `at`).
    return prior ? at + end + 4 - prior.length : end + 4;
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

interface ParsedHead {
  head: ResponseHead;
  chunked: boolean;
  length: number | null;
}

const digit = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 0x30;
  if (d < 0 || d > 9) throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(text.slice(0, 40))}`);
  return d;
};

const wanted = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'x-gateway-version', 'x-served-by'];
/** The wanted names by length, so that most header lines are passed over after one lookup. */
const wantedBySize: string[][] = [];
for (const name of wanted) (wantedBySize[name.length] ??= []).push(name);

/** Which of the `wanted` header names text[at, at + size) is, ignoring ASCII case; null for any other. */
function headerOf(text: string, at: number, size: number): string | null {
  const candidates = wantedBySize[size];
  if (candidates === undefined) return null;
  next: for (const name of candidates) {
    // `| 0x20` lower-cases an ASCII letter and leaves `-` as it is.
    for (let i = 0; i < size; i++) if ((text.charCodeAt(at + i) | 0x20) !== name.charCodeAt(i)) continue next;
    return name;
  }
  return null;
}

const blank = (text: string, i: number) => text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09;

/** text[from, to) without its leading and trailing spaces and tabs. */
function valueOf(text: string, from: number, to: number): string {
  while (from < to && blank(text, from)) from++;
  while (to > from && blank(text, to - 1)) to--;
  return text.slice(from, to);
}

/**
 * The head's text (latin1, without the final blank line): status and the headers we use. Written with
 * indexOf and charCodeAt rather than regular expressions and lower-cased copies of every header: it
 * runs for every response, thousands of times a second.
 */
export function parseHead(text: string): ParsedHead {
  if (!text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 0x20) digit(text, -1); // throws
  const minor = digit(text, 7);
  if (minor > 1) digit(text, -1);
  const status = digit(text, 9) * 100 + digit(text, 10) * 10 + digit(text, 11);
  const head: ResponseHead = { status, version: '', replica: '', keepAlive: minor === 1, keepAliveMs: null };
  let chunked = false;
  let length: number | null = null;
  for (let start = text.indexOf('\r\n') + 2; start > 1 && start < text.length; ) {
    const eol = text.indexOf('\r\n', start);
    const end = eol < 0 ? text.length : eol;
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon > end) throw new ResponseParseError('malformed response header line');
    const name = headerOf(text, start, colon - start);
    if (name !== null) {
      const value = valueOf(text, colon + 1, end);
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== null && length !== Number(value))) {
          throw new ResponseParseError(`bad content-length ${JSON.stringify(value)}`);
        }
        length = Number(value);
      } else if (name === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') head.keepAlive = connectionKeepsAlive(value, head.keepAlive);
      else if (name === 'keep-alive') head.keepAliveMs = keepAliveTimeoutMs(value);
      else if (name === 'x-gateway-version') head.version = head.version ? `${head.version},${value}` : value;
      else head.replica = head.replica ? `${head.replica},${value}` : value;
    }
    start = end + 2;
  }
  // RFC 9112 §6.3: with both, transfer-encoding wins (and the connection must not be reused).
  if (chunked && length !== null) head.keepAlive = false;
  return { head, chunked, length: chunked ? null : length };
}

function connectionKeepsAlive(value: string, byDefault: boolean): boolean {
  const v = value.toLowerCase();
  if (/(^|,)\s*close\s*(,|$)/.test(v)) return false;
  return byDefault || /(^|,)\s*keep-alive\s*(,|$)/.test(v);
}

function keepAliveTimeoutMs(value: string): number | null {
  const m = /timeout=(\d+)/i.exec(value);
  return m ? Number(m[1]) * 1000 : null;
}
