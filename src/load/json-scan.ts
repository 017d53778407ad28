/**
 * Byte-level scans of a JSON text that find one value without parsing the whole text. They rely on
 * two facts of valid JSON: a `"` inside a string is escaped (`\"`), so `"key"` followed by `:` is
 * always an object key; and braces inside strings are the only braces that do not nest.
 */
const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;
const openBrace = 0x7b;
const closeBrace = 0x7d;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function skipSpace(buf: Buffer, i: number): number {
  while (isSpace(buf[i])) i++;
  return i;
}

/** True when the text, spaces aside, starts with `{` and ends with `}`. */
export function looksLikeObject(buf: Buffer): boolean {
  let end = buf.length - 1;
  while (end > 0 && isSpace(buf[end])) end--;
  return buf[skipSpace(buf, 0)] === openBrace && buf[end] === closeBrace;
}

/** The quote at `at` is escaped when an odd number of backslashes precedes it. */
function escaped(buf: Buffer, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && buf[at - n - 1] === backslash) n++;
  return n % 2 === 1;
}

/** Index just past the object that opens at `start`, or -1 when it does not close. */
function objectEnd(buf: Buffer, start: number): number {
  let depth = 0;
  for (let i = start; i < buf.length; i++) {
    const b = buf[i];
    if (b === quote) {
      for (i++; i < buf.length && buf[i] !== quote; i++) if (buf[i] === backslash) i++;
    } else if (b === openBrace) depth++;
    else if (b === closeBrace && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * `[start, end)` of the value of the last `key` (its bytes with their quotes, e.g. `"usage"`), as
 * JSON.parse would keep the last of duplicated keys; null when there is no such key or its value is
 * not a whole object. Keys of nested objects count too: callers know where their key can occur.
 */
export function lastObjectValueOf(buf: Buffer, key: Buffer): [number, number] | null {
  for (let at = buf.lastIndexOf(key); at >= 0; at = at > 0 ? buf.lastIndexOf(key, at - 1) : -1) {
    if (escaped(buf, at)) continue;
    const c = skipSpace(buf, at + key.length);
    if (buf[c] !== colon) continue; // a string value that reads like the key
    const v = skipSpace(buf, c + 1);
    if (buf[v] !== openBrace) return null;
    const end = objectEnd(buf, v);
    return end > 0 ? [v, end] : null;
  }
  return null;
}
