/**
 * `npm run bench:load`: our load generator against autocannon, same loopback server (a child process
 * answering a small chat completion with usage), same connections, keep-alive at max rate; then the
 * ledger's memory per million rows. Run as
 * `node --expose-gc --import tsx bench/load.ts [--rounds N] [--seconds S] [--connections C]`.
 *
 * The machine is shared (2 cores, other engineers' runs), so one long run of each tool would mostly
 * measure who was unlucky. Instead the tools take turns in short segments, A B B A A B B A ... (each
 * round puts the other tool first, so that a slow drift favours neither), after one untimed warm-up
 * segment each; the figures are medians over the segments, and the ratio is the median of the
 * per-round ratios (a round's two segments ran side by side in time, so they share its noise).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../src/common/logger.ts';
import { startLoad } from '../src/load/generator.ts';
import { Ledger } from '../src/load/ledger.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    serve: { type: 'boolean' },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const body = JSON.stringify({ model: 'bulk', messages: [{ role: 'user', content: 'hello there' }] });
const headers = { authorization: 'Bearer sk-up-bench', 'content-type': 'application/json' };

/** The child: a trivial chat-completions server; answers `cpu` messages with its CPU time so far (µs). */
async function serve(): Promise<void> {
  const reply = Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 16, total_tokens: 21 },
    }),
  );
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': reply.length,
        'x-gateway-version': 'v1.8.0',
        'x-served-by': 'bench-1',
      });
      res.end(reply);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system });
  });
  process.on('disconnect', () => process.exit(0));
}

interface Child {
  process: ChildProcess;
  url: string;
  /** The server's CPU time so far, µs. */
  cpu(): Promise<number>;
}

async function startChild(): Promise<Child> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, '--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Every answer of the child has a deadline: a child that died would otherwise leave us waiting.
  const answer = async <T>(ms: number): Promise<T> => {
    try {
      const [m] = await once(child, 'message', { signal: AbortSignal.timeout(ms) });
      return m as T;
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`bench: the server child (pid ${child.pid}) did not answer within ${ms} ms`, { cause: error });
    }
  };
  const hello = await answer<{ port: number }>(15_000);
  const cpu = async () => {
    child.send('cpu');
    return (await answer<{ cpu: number }>(10_000)).cpu;
  };
  return { process: child, url: `http://127.0.0.1:${hello.port}`, cpu };
}

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Segment {
  requests: number;
  failed: number;
  seconds: number;
}

async function theirs(url: string, s: number): Promise<Segment> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers,
    body,
    connections,
    duration: s,
  });
  return { requests: r.requests.total, failed: r.errors + r.non2xx, seconds: r.duration };
}

async function ours(url: string, s: number): Promise<Segment> {
  const load = startLoad({
    gatewayUrl: url,
    consumers: [
      { consumer: 'bench.bench.bench', key: 'sk-up-bench', model: 'bulk', expect: 200, prompt: 'hello there' },
    ],
    rate: 'max',
    mix: { keepAlive: 1, freshConnection: 0, stream: 0 },
    maxDurationMs: s * 1000,
    maxRequests: 50_000_000,
    requestTimeoutMs: 10_000,
    prices: { bulk: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 2 } },
    connections,
    maxInFlight: connections,
    ledger: new Ledger(),
  });
  await load.issuingEnded;
  const r = await load.stop();
  return { requests: r.summary.total, failed: r.summary.failed, seconds: r.durationMs / 1000 };
}

/** Measured first, in a quiet process: buffers of the HTTP runs freed later would skew the delta. */
async function ledgerMemory(): Promise<{ bytesPerRow: number; heapDelta: number; arrayBuffersDelta: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: run with node --expose-gc (npm run bench:load does)');
  const settle = async () => {
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
  };
  await settle();
  const before = process.memoryUsage();
  const ledger = new Ledger();
  const t = ledger.clock();
  for (let i = 0; i < 1_000_000; i++) {
    const failed = i % 1000 === 0;
    ledger.append({
      start: t + i * 0.3,
      end: t + i * 0.3 + 2.5,
      consumer: `acme.proj-${i % 4}.user-${i % 12}`,
      kind: i % 10 === 0 ? 'stream' : i % 10 === 1 ? 'fresh-connection' : 'keep-alive',
      status: failed ? 0 : 200,
      version: i < 500_000 ? 'v1.8.0' : 'v1.9.0',
      replica: `gateway-${i < 500_000 ? 'v1.8.0' : 'v1.9.0'}-${i % 2}`,
      promptTokens: failed ? 0 : 14,
      completionTokens: failed ? 0 : 16,
      costMicroUsd: failed ? 0 : 46,
      outcome: failed ? 'failed' : 'served',
      failureClass: failed ? 'reset' : null,
      error: failed ? 'read ECONNRESET' : '',
    });
  }
  await settle();
  const after = process.memoryUsage();
  const heapDelta = after.heapUsed - before.heapUsed;
  const arrayBuffersDelta = after.arrayBuffers - before.arrayBuffers;
  if (ledger.size !== 1_000_000) throw new Error('bench: ledger lost rows');
  return { bytesPerRow: (heapDelta + arrayBuffersDelta) / ledger.size, heapDelta, arrayBuffersDelta };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Figures {
  rps: number[];
  /** CPU per request, µs, of this process (the tool) and of the server (what the tool's requests cost it). */
  clientUs: number[];
  serverUs: number[];
  failed: number;
}

async function measure(child: Child, tool: (url: string, s: number) => Promise<Segment>, f: Figures): Promise<number> {
  const cpu0 = await child.cpu();
  const own0 = process.cpuUsage();
  const seg = await tool(child.url, seconds);
  const own = process.cpuUsage(own0);
  const cpu = (await child.cpu()) - cpu0;
  const rps = seg.requests / seg.seconds;
  f.rps.push(rps);
  f.clientUs.push((own.user + own.system) / seg.requests);
  f.serverUs.push(cpu / seg.requests);
  f.failed += seg.failed;
  return rps;
}

async function compare(child: Child): Promise<void> {
  await theirs(child.url, 1); // warm-up, untimed: JIT, connections, the server's caches
  await ours(child.url, 1);
  const ac: Figures = { rps: [], clientUs: [], serverUs: [], failed: 0 };
  const up: Figures = { rps: [], clientUs: [], serverUs: [], failed: 0 };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let a = 0;
    let u = 0;
    if (round % 2 === 0) {
      a = await measure(child, theirs, ac);
      u = await measure(child, ours, up);
    } else {
      u = await measure(child, ours, up);
      a = await measure(child, theirs, ac);
    }
    ratios.push(u / a);
    console.log(`  round ${round + 1}: autocannon ${a.toFixed(0)} req/s, upcert ${u.toFixed(0)} req/s`);
  }
  const line = (name: string, f: Figures) =>
    `${name}: ${median(f.rps).toFixed(0)} req/s median (min ${Math.min(...f.rps).toFixed(0)}, max ${Math.max(...f.rps).toFixed(0)}); ` +
    `CPU/request ${median(f.clientUs).toFixed(1)} µs own, ${median(f.serverUs).toFixed(1)} µs server; ${f.failed} failed`;
  console.log(line('autocannon', ac));
  console.log(line('upcert load', up));
  console.log(`ratio upcert/autocannon: ${median(ratios).toFixed(2)} (median of ${rounds} per-round ratios)`);
  // CPU time per request is steadier than req/s when other processes take the cores in turns.
  const cpuRatio = median(up.clientUs) / median(ac.clientUs);
  console.log(`own CPU per request, upcert/autocannon: ${cpuRatio.toFixed(2)} (lower is better)`);
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const m = await ledgerMemory();
  const child = await startChild();
  try {
    console.log(
      `bench:load: ${rounds} rounds of ${seconds}s per tool, alternating (A B, B A, ...), medians reported; ` +
        `${connections} connections, keep-alive, max rate; server ${child.url} (child pid ${child.process.pid})`,
    );
    await compare(child);
  } finally {
    const killer = setTimeout(() => child.process.kill('SIGKILL'), 5_000);
    if (child.process.exitCode === null) {
      child.process.disconnect();
      await once(child.process, 'exit');
    }
    clearTimeout(killer);
  }
  const mb = (n: number) => (n / 1e6).toFixed(1);
  console.log(
    `ledger: ${mb(m.bytesPerRow * 1e6)} MB per million rows (${m.bytesPerRow.toFixed(1)} B/row; heap ${mb(m.heapDelta)} MB, arrayBuffers ${mb(m.arrayBuffersDelta)} MB)`,
  );
}

if (args.serve) await serve();
else await main();
