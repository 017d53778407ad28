import type { Usage } from './response-body.ts';

/**
 * The per-request fast path over a 200's raw bytes: finds the usage object and the end of an SSE
 * stream without decoding or parsing the whole body. It only ever answers for a well-formed body;
 * `undefined` means "not sure", and the caller falls back to the full parsers of response-body.ts,
 * which stay the authority on everything unusual.
 */
const usageKey = Buffer.from('"usage"');
const promptKey = Buffer.from('"prompt_tokens"');
const completionKey = Buffer.from('"completion_tokens"');
const doneEvent = Buffer.from('data: [DONE]');
const backslash = 0x5c;
const colon = 0x3a;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const quote = 0x22;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end && isSpace(buf[i])) i++;
  return i;
}

/** The non-negative integer value of `key` inside buf[from, to), or -1. */
function intAfter(buf: Buffer, key: Buffer, from: number, to: number): number {
  const at = buf.indexOf(key, from);
  if (at < 0 || at >= to) return -1;
  let i = skipSpace(buf, at + key.length, to);
  if (buf[i] !== colon) return -1;
  i = skipSpace(buf, i + 1, to);
  let n = 0;
  const first = i;
  for (let b = buf[i]!; i < to && b >= 0x30 && b <= 0x39; b = buf[++i]!) n = n * 10 + (b - 0x30);
  if (i === first || i - first > 15) return -1;
  const next = buf[i];
  return next === 0x2c || next === closeBrace || isSpace(next) ? n : -1;
}

/** The index of the `}` closing the object that opens at buf[i], strings skipped; -1 when it does not close before `to`. */
function matchingBrace(buf: Buffer, i: number, to: number): number {
  let depth = 0;
  for (let end = i; end < to; end++) {
    const b = buf[end];
    if (b === openBrace) depth++;
    else if (b === closeBrace && --depth === 0) return end;
    else if (b === quote) {
      do end = buf.indexOf(quote, end + 1);
      while (end > 0 && buf[end - 1] === backslash);
      if (end < 0 || end >= to) return -1;
    }
  }
  return -1;
}

/** The usage object that starts at the last `"usage": {` of buf[0, to) (nested objects allowed), or undefined. */
export function lastUsage(buf: Buffer, to = buf.length): Usage | undefined {
  for (let at = buf.lastIndexOf(usageKey, to - usageKey.length); at >= 0; at = buf.lastIndexOf(usageKey, at - 1)) {
    if (at > 0 && buf[at - 1] === backslash) continue; // inside a string
    let i = skipSpace(buf, at + usageKey.length, to);
    if (buf[i] !== colon) continue;
    i = skipSpace(buf, i + 1, to);
    if (buf[i] !== openBrace) continue; // `"usage": null` in a chunk before the last one
    const end = matchingBrace(buf, i, to);
    if (end < 0) return undefined;
    const promptTokens = intAfter(buf, promptKey, i, end + 1);
    const completionTokens = intAfter(buf, completionKey, i, end + 1);
    if (promptTokens < 0 || completionTokens < 0) return undefined;
    return { promptTokens, completionTokens };
  }
  return undefined;
}

function lastNonSpace(buf: Buffer): number {
  let i = buf.length - 1;
  while (i >= 0 && isSpace(buf[i])) i--;
  return i;
}

/** A plain completion's usage when the body is one JSON object with a usage object; else undefined. */
export function plainUsageFast(buf: Buffer): Usage | undefined {
  const last = lastNonSpace(buf);
  const first = skipSpace(buf, 0, buf.length);
  if (buf[first] !== openBrace || matchingBrace(buf, first, last + 1) !== last) return undefined;
  return lastUsage(buf, last + 1);
}

/** A stream's usage when its only `data: [DONE]` is its last event and a usage object precedes it; else undefined. */
export function streamUsageFast(buf: Buffer): Usage | undefined {
  const last = lastNonSpace(buf);
  const done = buf.lastIndexOf(doneEvent);
  if (done < 0 || done + doneEvent.length - 1 !== last || buf.indexOf(doneEvent) !== done) return undefined;
  if (done > 0 && buf[done - 1] !== 0x0a) return undefined;
  return lastUsage(buf, done);
}
