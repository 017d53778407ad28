import { describe, expect, it } from 'vitest';
import { parseHead } from '../../src/load/http1-head.ts';
import { ResponseParser } from '../../src/load/http1-response.ts';
import { type ResponseHead, ResponseParseError } from '../../src/load/http1-types.ts';

interface Parsed {
  heads: ResponseHead[];
  body: string;
  complete: number;
  /** `feed`'s results, one per piece. */
  extra: number[];
}

/** Feeds `raw` to a parser in pieces cut at `cuts` (copies, as the connection's reused buffer would be). */
function parse(raw: string, cuts: number[] = [], closeAtEnd = false): Parsed {
  const out: Parsed = { heads: [], body: '', complete: 0, extra: [] };
  const parser = new ResponseParser({
    onHead: (h) => out.heads.push(h),
    onBody: (c) => {
      out.body += c.toString('latin1');
    },
    onComplete: () => out.complete++,
  });
  const bytes = Buffer.from(raw, 'latin1');
  const bounds = [0, ...cuts, bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) out.extra.push(parser.feed(bytes.subarray(bounds[i], bounds[i + 1])));
  if (closeAtEnd) parser.closed();
  return out;
}

const json = '{"id":"c1","usage":{"prompt_tokens":5,"completion_tokens":16}}';
const plain = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nX-Gateway-Version: v1.8.0\r\nx-served-by:  gw-1 \r\nKeep-Alive: timeout=5\r\n\r\n${json}`;
const sse = ['data: {"choices":[{"delta":{"content":"he"}}]}\n\n', 'data: [DONE]\n\n'];
const chunked =
  'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-gateway-version: v1.9.0\r\n\r\n' +
  sse.map((e) => `${e.length.toString(16)};ext=1\r\n${e}\r\n`).join('') +
  '0\r\nx-trailer: yes\r\n\r\n';

describe('ResponseParser', () => {
  it('reads status, the headers the ledger needs, and a content-length body', () => {
    const r = parse(plain);
    expect(r.heads).toEqual([{ status: 200, version: 'v1.8.0', replica: 'gw-1', keepAlive: true, keepAliveMs: 5000 }]);
    expect(r).toMatchObject({ body: json, complete: 1, extra: [0] });
  });

  it('parses the same whatever the reads: every cut of a content-length and of a chunked response', () => {
    for (const raw of [plain, chunked]) {
      const whole = parse(raw);
      for (let a = 1; a < raw.length; a++) {
        expect(parse(raw, [a]), `cut at ${a}`).toEqual({ ...whole, extra: [0, 0] });
      }
      for (let a = 1; a + 7 < raw.length; a += 7) expect(parse(raw, [a, a + 3, a + 7]).body).toBe(whole.body);
    }
    expect(parse(chunked)).toMatchObject({ body: sse.join(''), complete: 1, extra: [0] });
    expect(parse(chunked).heads[0]).toMatchObject({ version: 'v1.9.0', keepAlive: true, keepAliveMs: null });
  });

  it('skips 1xx heads, reads 204 without a body, and reports bytes after the response', () => {
    const r = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nx-served-by: a\r\n\r\nHTTP/1.1');
    expect(r.heads).toHaveLength(1);
    expect(r).toMatchObject({ heads: [{ status: 204, replica: 'a' }], body: '', complete: 1, extra: [8] });
  });

  it('knows when the connection must not be reused', () => {
    expect(parse(plain.replace('Keep-Alive: timeout=5', 'Connection: close')).heads[0]!.keepAlive).toBe(false);
    expect(parse(plain.replace('HTTP/1.1', 'HTTP/1.0')).heads[0]!.keepAlive).toBe(false);
    const kept10 = plain
      .replace('HTTP/1.1', 'HTTP/1.0')
      .replace('Keep-Alive:', 'Connection: keep-alive\r\nKeep-Alive:');
    expect(parse(kept10).heads[0]!.keepAlive).toBe(true);
  });

  it('reads a body without length until the connection closes', () => {
    const raw = 'HTTP/1.1 200 OK\r\nx-served-by: a\r\n\r\nhello ';
    const open = parse(`${raw}world`, [raw.length - 3]);
    expect(open).toMatchObject({ body: 'hello world', complete: 0 });
    expect(open.heads[0]!.keepAlive).toBe(false);
    expect(parse(`${raw}world`, [], true)).toMatchObject({ body: 'hello world', complete: 1 });
  });

  it('rejects what is not HTTP/1.x', () => {
    expect(() => parse('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(ResponseParseError);
    expect(() => parse('HTTP/1.1 2x0 OK\r\n\r\n')).toThrow(ResponseParseError);
    expect(() => parse('HTTP/1.1 200 OK\r\ncontent-length: 1e3\r\n\r\n')).toThrow(/content-length/);
    expect(() => parse('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(() => parse(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(70_000)}`)).toThrow(/64 KiB/);
  });

  it('parseHead: duplicated headers are joined, transfer-encoding wins over content-length', () => {
    const h = parseHead(
      'HTTP/1.1 200 OK\r\nx-served-by: a\r\nX-Served-By: b\r\ncontent-length: 3\r\nTransfer-Encoding: chunked',
    );
    expect(h).toMatchObject({ chunked: true, length: null, head: { replica: 'a,b', keepAlive: false } });
  });
});
