import { Client, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyError, DeadlineExceededError, judgeStatus } from '../../src/load/classify.ts';
import type { RequestKind } from '../../src/load/types.ts';
import { deadPort, startFakeGateway, startRawServer } from './servers.ts';

/** Makes a real POST with undici and returns the error it raised (or fails the test if none). */
async function realError(url: string, kind: RequestKind = 'keep-alive', timeoutMs = 2000) {
  const client = new Client(new URL(url).origin, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let afterHeaders = false;
  try {
    const res = await client.request({
      path: '/v1/chat/completions',
      method: 'POST',
      body: '{"model":"m","messages":[]}',
    });
    afterHeaders = true;
    await res.body.text();
  } catch (error) {
    return classifyError(error, kind, afterHeaders);
  } finally {
    await client.destroy();
  }
  throw new Error('expected the request to fail');
}

describe('classifyError on real errors', () => {
  it('a port nobody listens on is connect-refused', async () => {
    const port = await deadPort();
    const j = await realError(`http://127.0.0.1:${port}`);
    expect(j).toMatchObject({ outcome: 'failed', failureClass: 'connect-refused' });
    expect(j.error).toContain('ECONNREFUSED');
  });

  it('a server that resets the connection is reset', async () => {
    await using server = await startRawServer((s) => s.resetAndDestroy());
    const j = await realError(server.url);
    expect(j).toMatchObject({ failureClass: 'reset' });
    expect(j.error).toContain('ECONNRESET');
  });

  it('a server that closes before answering is closed', async () => {
    await using server = await startRawServer((s) => s.end());
    const j = await realError(server.url);
    expect(j).toMatchObject({ failureClass: 'closed' });
    expect(j.error).toContain('other side closed');
  });

  it('a body cut short of its Content-Length is closed', async () => {
    await using server = await startRawServer((s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"usage":'));
    expect(await realError(server.url)).toMatchObject({ failureClass: 'closed' });
  });

  it('a server that never answers is timeout (headers timeout)', async () => {
    await using server = await startRawServer(() => {});
    const j = await realError(server.url, 'keep-alive', 200);
    expect(j).toMatchObject({ failureClass: 'timeout' });
    expect(j.error).toContain('UND_ERR_HEADERS_TIMEOUT');
  });

  it('an abort by deadline is timeout', async () => {
    await using server = await startRawServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DeadlineExceededError('request', 100)), 100);
    const error = await request(server.url, { method: 'POST', body: 'x', signal: controller.signal }).catch((e) => e);
    expect(classifyError(error, 'keep-alive', false)).toMatchObject({ failureClass: 'timeout' });
  });

  it('a stream whose socket is destroyed mid-body is stream-truncated', async () => {
    await using server = await startRawServer((s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
      s.write('e\r\ndata: {"a":1}\n\n\r\n');
      setTimeout(() => s.destroy(), 20);
    });
    expect(await realError(server.url, 'stream')).toMatchObject({ failureClass: 'stream-truncated' });
  });
});

describe('judgeStatus', () => {
  it('judges real statuses against the expected one', async () => {
    await using server = await startFakeGateway({ keys: { five: { status: 500 }, four: { status: 403 } } });
    const statusFor = async (key: string) => {
      const res = await request(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'm', messages: [{ content: 'hi' }] }),
      });
      await res.body.text();
      return res.statusCode;
    };
    expect(judgeStatus(await statusFor('five'), 200)).toMatchObject({ outcome: 'failed', failureClass: 'http-5xx' });
    expect(judgeStatus(await statusFor('four'), 403)).toMatchObject({ outcome: 'refused-as-expected' });
    expect(judgeStatus(await statusFor('four'), 200)).toMatchObject({ failureClass: 'unexpected-status' });
    expect(judgeStatus(await statusFor('ok'), 200)).toMatchObject({ outcome: 'served', failureClass: null });
    expect(judgeStatus(await statusFor('ok'), 429)).toMatchObject({ failureClass: 'unexpected-status' });
  });
});
