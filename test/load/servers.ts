/**
 * Small real servers on loopback for the load tests: a fake gateway (JSON and SSE completions with
 * usage, refusals, versions) and raw TCP servers that misbehave on purpose. Each is AsyncDisposable.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';

export interface TestServer extends AsyncDisposable {
  url: string;
  port: number;
  /** Requests (or connections, for raw servers) seen so far. */
  hits: () => number;
  /** TCP connections accepted so far. */
  connections: () => number;
}

async function listen(server: Server, sockets: Set<Socket>, hits: () => number): Promise<TestServer> {
  let connections = 0;
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    connections: () => connections,
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the fake gateway answers for one API key. */
export interface KeyBehaviour {
  status?: number;
  /** Delay before answering (ms). */
  delayMs?: number;
  /** For streams: end the body without `data: [DONE]`. */
  omitDone?: boolean;
  /** For streams: destroy the socket after the first chunk. */
  cutStream?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** Leave `usage` out of the reply (and the stream's usage chunk out). */
  noUsage?: boolean;
}

export interface FakeGatewayOptions {
  version?: string;
  replica?: string;
  keys?: Record<string, KeyBehaviour>;
}

const usageFor = (prompt: string) => ({ prompt_tokens: prompt.split(/\s+/).length + 3, completion_tokens: 16 });

function answer(req: IncomingMessage, res: ServerResponse, raw: string, b: KeyBehaviour): void {
  if (b.hang) return;
  const body = JSON.parse(raw) as { stream?: boolean; messages: { content: string }[] };
  const usage = b.noUsage ? undefined : usageFor(body.messages.map((m) => m.content).join(' '));
  const status = b.status ?? 200;
  if (status !== 200) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: status === 403 ? 'guardrail' : 'refused', message: `status ${status}` } }));
    return;
  }
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'c1', choices: [{ message: { role: 'assistant', content: 'ok' } }], usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'he' } }] })}\n\n`);
  if (b.cutStream) {
    setTimeout(() => req.socket.destroy(), 10);
    return;
  }
  res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'llo' } }] })}\n\n`);
  if (usage) res.write(`data: ${JSON.stringify({ choices: [], usage: { ...usage, total_tokens: 0 } })}\n\n`);
  res.end(b.omitDone ? '' : 'data: [DONE]\n\n');
}

export interface FakeGateway extends TestServer {
  /** From now on for `ms`, answers nothing: requests arriving meanwhile are answered when it ends (a frozen gateway). */
  freeze(ms: number): void;
}

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  let hits = 0;
  let frozenUntil = 0;
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    hits++;
    res.setHeader('x-gateway-version', options.version ?? 'v1.8.0');
    res.setHeader('x-served-by', options.replica ?? 'gateway-v1.8.0-1');
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const b = options.keys?.[key] ?? {};
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      raw += d;
    });
    req.on('end', () => {
      const wait = Math.max(b.delayMs ?? 0, frozenUntil - performance.now());
      if (wait > 0) setTimeout(() => answer(req, res, raw, b), wait);
      else answer(req, res, raw, b);
    });
  });
  const freeze = (ms: number) => {
    frozenUntil = performance.now() + ms;
  };
  return { ...(await listen(server, sockets, () => hits)), freeze };
}

/** A TCP server that reads a request and then does `misbehave` to the socket. */
export async function startRawServer(misbehave: (socket: Socket) => void): Promise<TestServer> {
  let hits = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    hits++;
    socket.once('data', () => misbehave(socket));
    socket.on('error', () => {});
  });
  return listen(server, sockets, () => hits);
}

/** A loopback port that nobody listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
