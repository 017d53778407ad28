import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** Where the load goes: the gateway's chat-completions endpoint, as the generator's connections need it. */
export interface Target {
  tls: boolean;
  /** Host name or address to connect to (IPv6 without brackets). */
  host: string;
  port: number;
  /** The `host` header: the URL's host with its port. */
  hostHeader: string;
  path: string;
}

export function targetOf(gatewayUrl: string): Target {
  const url = new URL(gatewayUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`load: the gateway URL must be http or https (got ${url.protocol})`);
  }
  const tls = url.protocol === 'https:';
  return {
    tls,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    hostHeader: url.host,
    path: `${url.pathname.replace(/\/$/, '')}/v1/chat/completions`,
  };
}

/** Bytes of one socket read; a longer response takes several reads. */
const readBufferBytes = 16 * 1024;

/**
 * Opens a connection (TLS for https, certificates verified as Node does by default), without Nagle's
 * delay, and hands every read to `onRead`. Plain TCP reads into one buffer per connection, reused for
 * every read (net's documented `onread` option): no allocation per read and no stream machinery, a
 * large share of the generator's CPU per request. So `onRead`'s bytes are valid only during the call.
 */
export function openSocket(t: Target, onRead: (data: Buffer) => void): Socket {
  if (t.tls) {
    const servername = isIP(t.host) ? undefined : t.host;
    const socket = tlsConnect({ host: t.host, port: t.port, servername, ALPNProtocols: ['http/1.1'] });
    socket.setNoDelay(true);
    socket.on('data', onRead);
    return socket;
  }
  const buffer = Buffer.allocUnsafe(readBufferBytes);
  const callback = (bytes: number) => {
    onRead(buffer.subarray(0, bytes));
    return true;
  };
  const socket = tcpConnect({ host: t.host, port: t.port, onread: { buffer, callback } });
  socket.setNoDelay(true);
  return socket;
}

/**
 * One whole POST (head and body) in one buffer, built once per consumer and kind and written as is
 * for every request. HTTP/1.1 keeps the connection open by default; `close` asks for a fresh one's end.
 */
export function buildRequest(t: Target, headers: Record<string, string>, body: string, close: boolean): Buffer {
  const bytes = Buffer.from(body);
  const lines = [`POST ${t.path} HTTP/1.1`, `host: ${t.hostHeader}`];
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name + value)) throw new Error(`load: header ${name} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${bytes.length}`);
  if (close) lines.push('connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}
