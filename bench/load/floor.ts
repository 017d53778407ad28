/**
 * The floors under upcert's generator, for the mix's CPU per request (issue 16): the same open loop, rate and mix,
 * sent by clients that do nothing but send and read. Bench-only measuring clients, not load generators:
 * - `undici alone`: undici's `dispatch` with a handler that drops every callback (no ledger, no classification,
 *   no deadline sweep), over the same two pools upcert uses (keep-alive; `connection: close` for fresh connections);
 * - `node:net alone` (fresh connections only): a socket per request, the request's bytes written once, the answer
 *   read until the server closes; no HTTP parsing at all: the least any Node client pays for a fresh connection.
 * - `undici alone, closed loop`: as autocannon runs, `connections` requests kept in flight on keep-alive connections.
 * The difference between upcert and undici alone is upcert's own cost; what undici alone costs over node:net is
 * undici's (its parser, its Client per connection, the errors it closes a `connection: close` socket with).
 */
import net from 'node:net';
import { type Dispatcher, Pool } from 'undici';
import { MixPicker } from '../../src/load/mix.ts';
import type { LoadOptions } from '../../src/load/options.ts';
import { body, type Segment, timeWaitDrained } from './tools.ts';

export interface FloorRun {
  requests: number;
  failed: number;
  /** Own CPU per request, µs (user + system, the process's), and its user-space share. */
  cpuUs: number;
  userUs: number;
}

const path = '/v1/chat/completions';
const headers = ['authorization', 'Bearer sk-up-bench', 'content-type', 'application/json'];
/** upcert's per-request deadline in the bench (`loadOptions`' requestTimeoutMs): the same timers, and no run hangs. */
const timeoutMs = 10_000;
const poolTimeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs };

/** Sends `rate` requests a second for `seconds`, `send(done)` each; resolves once every one is done. */
async function openLoop(
  rate: number,
  seconds: number,
  send: (done: (ok: boolean) => void) => void,
  close: () => Promise<unknown> = async () => {},
): Promise<FloorRun> {
  await timeWaitDrained();
  globalThis.gc?.(); // the last run's garbage is not this one's cost (the bench runs with --expose-gc)
  const total = Math.round(rate * seconds);
  let sent = 0;
  let finished = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const done = (ok: boolean) => {
      if (!ok) failed++;
      if (++finished === total) resolve();
    };
    // the same 5 ms tick as the generator's schedule (generator.ts)
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
      while (sent < due) {
        sent++;
        send(done);
      }
      if (sent === total) clearInterval(timer);
    }, 5);
  });
  await close(); // inside the window, as the generator's stop() is in `hold`'s
  const cpu = process.cpuUsage(cpu0);
  return { requests: total, failed, cpuUs: (cpu.user + cpu.system) / total, userUs: cpu.user / total };
}

/** Drops every callback but the status: a request counts as done well only when it was a complete 200. */
class Dropping implements Dispatcher.DispatchHandler {
  #status = 0;
  constructor(readonly done: (ok: boolean) => void) {}
  onConnect(): void {}
  onHeaders(status: number): boolean {
    this.#status = status;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.done(this.#status === 200);
  }
  onError(): void {
    this.done(false);
  }
}

/** undici alone: the mix over a keep-alive pool and a `connection: close` pool, callbacks dropped. */
export async function undiciAlone(
  url: string,
  rate: number,
  seconds: number,
  mix: LoadOptions['mix'],
): Promise<FloorRun> {
  const origin = new URL(url).origin;
  const buf = Buffer.from(body);
  const streamBody = Buffer.from(JSON.stringify({ ...JSON.parse(body), stream: true }));
  const opts = (b: Buffer, extra: string[]): Dispatcher.DispatchOptions => ({
    origin,
    path,
    method: 'POST',
    headers: [...headers, ...extra],
    body: b,
  });
  const plain = opts(buf, []);
  const stream = opts(streamBody, ['accept', 'text/event-stream']);
  const fresh = opts(buf, ['connection', 'close']);
  const pool = new Pool(origin, { pipelining: 1, connections: 512, ...poolTimeouts });
  const closing = new Pool(origin, { pipelining: 1, connections: null, ...poolTimeouts });
  const picker = new MixPicker(mix);
  const close = () => Promise.all([pool.destroy(), closing.destroy()]);
  try {
    return await openLoop(
      rate,
      seconds,
      (done) => {
        const kind = picker.next();
        const h = new Dropping(done);
        if (kind === 'fresh-connection') closing.dispatch(fresh, h);
        else pool.dispatch(kind === 'stream' ? stream : plain, h);
      },
      close,
    );
  } finally {
    if (!pool.destroyed) await close();
  }
}

/** node:net alone: every request on its own socket, written once, read until the server closes it. */
export async function netAlone(url: string, rate: number, seconds: number): Promise<FloorRun> {
  const u = new URL(url);
  const port = Number(u.port);
  const request = Buffer.from(
    `POST ${path} HTTP/1.1\r\nhost: ${u.host}\r\nauthorization: Bearer sk-up-bench\r\ncontent-type: application/json\r\n` +
      `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  const ok = Buffer.from('HTTP/1.1 200 ');
  return openLoop(rate, seconds, (done) => {
    let head: Buffer | null = null;
    const s = net.connect(port, u.hostname);
    s.setNoDelay(true);
    s.setTimeout(timeoutMs, () => s.destroy(new Error('timeout')));
    s.on('connect', () => s.write(request));
    s.on('data', (chunk: Buffer) => {
      head ??= chunk; // the status line is in the first chunk (the whole answer is a few hundred bytes)
    });
    s.on('end', () => s.end());
    s.on('error', () => {});
    s.on('close', (hadError) => done(!hadError && head !== null && head.subarray(0, ok.length).equals(ok)));
  });
}

/** undici alone, closed loop at max rate: `connections` requests in flight, each one's end sends the next. */
export async function undiciClosed(url: string, seconds: number, connections: number): Promise<Segment> {
  const origin = new URL(url).origin;
  const plain: Dispatcher.DispatchOptions = { origin, path, method: 'POST', headers, body: Buffer.from(body) };
  const pool = new Pool(origin, { pipelining: 1, connections, ...poolTimeouts });
  // only complete 200s count as requests: a refused connect fails in microseconds and would look like speed
  let requests = 0;
  let failed = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  try {
    await new Promise<void>((resolve) => {
      let open = connections;
      const next = (ok: boolean) => {
        if (ok) requests++;
        else failed++;
        if (performance.now() < end) pool.dispatch(plain, new Dropping(next));
        else if (--open === 0) resolve();
      };
      for (let i = 0; i < connections; i++) pool.dispatch(plain, new Dropping(next));
    });
  } finally {
    await pool.destroy();
  }
  return { requests, failed, seconds: (performance.now() - t0) / 1000 };
}
