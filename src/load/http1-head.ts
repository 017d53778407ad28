/** The head of an HTTP/1.x response (status line and headers), read for what the generator needs. */
import { type ResponseHead, ResponseParseError } from './http1-types.ts';

export interface ParsedHead {
  head: ResponseHead;
  chunked: boolean;
  length: number | null;
}

/** The digit at text[i], or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/** `HTTP/1.x NNN`: the minor version and the status, or null. */
function statusLine(text: string): { minor: number; status: number } | null {
  const minor = digitAt(text, 7);
  const [a, b, c] = [digitAt(text, 9), digitAt(text, 10), digitAt(text, 11)];
  if (!text.startsWith('HTTP/1.') || minor < 0 || minor > 1 || text.charCodeAt(8) !== 0x20) return null;
  return a < 0 || b < 0 || c < 0 ? null : { minor, status: a * 100 + b * 10 + c };
}

const wanted = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'x-gateway-version', 'x-served-by'];
/** The wanted names by length, so that most header lines are passed over after one lookup. */
const wantedBySize: string[][] = [];
for (const name of wanted) wantedBySize[name.length] = [...(wantedBySize[name.length] ?? []), name];

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
function trimmedValue(text: string, from: number, to: number): string {
  while (from < to && blank(text, from)) from++;
  while (to > from && blank(text, to - 1)) to--;
  return text.slice(from, to);
}

/**
 * The head, `text` up to `end` (latin1, without the final blank line): status and the headers we use.
 * Written with indexOf and charCodeAt rather than regular expressions and lower-cased copies of every
 * header: it runs for every response, thousands of times a second.
 */
export function parseHead(text: string, end = text.length): ParsedHead {
  const line = statusLine(text);
  if (!line) throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(text.slice(0, 40))}`);
  const head: ResponseHead = {
    status: line.status,
    version: '',
    replica: '',
    keepAlive: line.minor === 1,
    keepAliveMs: null,
  };
  let chunked = false;
  let length: number | null = null;
  for (let start = text.indexOf('\r\n') + 2; start > 1 && start < end; ) {
    const eol = text.indexOf('\r\n', start);
    const lineEnd = eol < 0 || eol > end ? end : eol;
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon > lineEnd) throw new ResponseParseError('malformed response header line');
    const name = headerOf(text, start, colon - start);
    if (name !== null) {
      const value = trimmedValue(text, colon + 1, lineEnd);
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
    start = lineEnd + 2;
  }
  // RFC 9112 §6.3: with both, transfer-encoding wins (and the connection must not be reused).
  if (chunked && length !== null) head.keepAlive = false;
  return { head, chunked, length: chunked ? null : length };
}

/**
 * A one-entry memo: a server sends the same `connection` and `keep-alive` values on every response,
 * so each is read with a regular expression once rather than once per response.
 */
function memo<T>(read: (value: string) => T): (value: string) => T {
  let last: string | null = null;
  let result: T;
  return (value) => {
    if (value !== last) {
      result = read(value);
      last = value;
    }
    return result;
  };
}

/** What a `connection` header says: `close`, `keep-alive`, or neither (null). */
const connectionToken = memo((value: string): 'close' | 'keep-alive' | null => {
  if (/(^|,)\s*close\s*(,|$)/i.test(value)) return 'close';
  return /(^|,)\s*keep-alive\s*(,|$)/i.test(value) ? 'keep-alive' : null;
});

function connectionKeepsAlive(value: string, byDefault: boolean): boolean {
  const token = connectionToken(value);
  return token === null ? byDefault : token === 'keep-alive';
}

const keepAliveTimeoutMs = memo((value: string): number | null => {
  const m = /timeout=(\d+)/i.exec(value);
  return m ? Number(m[1]) * 1000 : null;
});
