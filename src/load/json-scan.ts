/**
 * Scans of a JSON text that find one value without parsing the whole text. They rely on two facts of
 * valid JSON: a `"` inside a string is escaped (`\"`), so `"key"` followed by `:` is always an object
 * key; and braces inside strings are the only braces that do not nest. The text may be UTF-8 bytes
 * read as latin1 (one character per byte): the bytes of a multi-byte character are all 0x80 or above,
 * so they never look like the ASCII of JSON's structure.
 */
const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;
const openBrace = 0x7b;
const closeBrace = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** True when the text, spaces aside, starts with `{` and ends with `}`. */
export function looksLikeObject(text: string): boolean {
  let end = text.length - 1;
  while (end > 0 && isSpace(text.charCodeAt(end))) end--;
  return text.charCodeAt(skipSpace(text, 0)) === openBrace && text.charCodeAt(end) === closeBrace;
}

/** The quote at `at` is escaped when an odd number of backslashes precedes it. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && text.charCodeAt(at - n - 1) === backslash) n++;
  return n % 2 === 1;
}

/** Index just past the object that opens at `start`, or -1 when it does not close. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      for (i++; i < text.length && text.charCodeAt(i) !== quote; i++) if (text.charCodeAt(i) === backslash) i++;
    } else if (c === openBrace) depth++;
    else if (c === closeBrace && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * `[start, end)` of the value of the last `key` (with its quotes, e.g. `"usage"`), as JSON.parse
 * keeps the last of duplicated keys; null when there is no such key or its value is not a whole
 * object. Keys of nested objects count too: callers know where their key can occur.
 */
export function lastObjectValueOf(text: string, key: string): [number, number] | null {
  for (let at = text.lastIndexOf(key); at >= 0; at = at > 0 ? text.lastIndexOf(key, at - 1) : -1) {
    if (escaped(text, at)) continue;
    const c = skipSpace(text, at + key.length);
    if (text.charCodeAt(c) !== colon) continue; // a string value that reads like the key
    const v = skipSpace(text, c + 1);
    if (text.charCodeAt(v) !== openBrace) return null;
    const end = objectEnd(text, v);
    return end > 0 ? [v, end] : null;
  }
  return null;
}

/**
 * The value of the last `key` (with its quotes) in text[from, to) when it is a non-negative integer
 * written as plain digits; null otherwise (missing, negative, fractional, exponent, too large).
 */
export function integerValueOf(text: string, key: string, from: number, to: number): number | null {
  const at = text.lastIndexOf(key, to - key.length);
  if (at < from || escaped(text, at)) return null;
  const c = skipSpace(text, at + key.length);
  if (text.charCodeAt(c) !== colon) return null;
  let i = skipSpace(text, c + 1);
  let value = 0;
  const first = i;
  for (let d = text.charCodeAt(i) - 0x30; d >= 0 && d <= 9 && i < to; d = text.charCodeAt(++i) - 0x30) {
    value = value * 10 + d;
  }
  if (i === first || i - first > 15) return null;
  const next = text.charCodeAt(skipSpace(text, i));
  return next === 0x2c || next === closeBrace ? value : null; // `,` or `}`: the number has ended
}
