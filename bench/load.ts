/**
 * `npm run bench:load`: our load generator against autocannon, same loopback server (a child process
 * answering a small chat completion with usage), same connections; then the ledger's memory per
 * million rows. Run as `node --expose-gc --import tsx bench/load.ts [--seconds N] [--connections C]`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLoad } from '../src/load/generator.ts';
import { Ledger } from '../src/load/ledger.ts';
import { setLogLevel } from '../src/report/logger.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    serve: { type: 'boolean' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const body = JSON.stringify({ model: 'bulk', messages: [{ role: 'user', content: 'hello there' }] });
const headers = { authorization: 'Bearer sk-up-bench', 'content-type': 'application/json' };

/** The child: a trivial chat-completions server. */
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
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.on('SIGTERM', () => process.exit(0));
}

async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  clearTimeout(deadline);
  const { port } = JSON.parse(line.toString()) as { port: number };
  return { child, url: `http://127.0.0.1:${port}` };
}

interface AutocannonResult {
  requests: { total: number; average: number };
  duration: number;
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function ours(url: string): Promise<{ rps: number; total: number; failed: number }> {
  const load = startLoad({
    gatewayUrl: url,
    consumers: [
      { consumer: 'bench.bench.bench', key: 'sk-up-bench', model: 'bulk', expect: 200, prompt: 'hello there' },
    ],
    rate: 'max',
    mix: { keepAlive: 1, freshConnection: 0, stream: 0 },
    maxDurationMs: seconds * 1000,
    maxRequests: 50_000_000,
    requestTimeoutMs: 10_000,
    prices: { bulk: { inputMicroUsdPerToken: 1, outputMicroUsdPerToken: 2 } },
    connections,
    maxInFlight: connections,
    ledger: new Ledger(),
  });
  await load.issuingEnded;
  const r = await load.stop();
  return { rps: r.summary.total / (r.durationMs / 1000), total: r.summary.total, failed: r.summary.failed };
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

async function main(): Promise<void> {
  setLogLevel('warn');
  const m = await ledgerMemory();
  const { child, url } = await startChild();
  try {
    console.log(`bench:load: ${seconds}s each, ${connections} connections, server ${url} (child pid ${child.pid})`);
    const ac = await autocannon({
      url: `${url}/v1/chat/completions`,
      method: 'POST',
      headers,
      body,
      connections,
      duration: seconds,
    });
    const acRps = ac.requests.total / ac.duration;
    console.log(
      `autocannon: ${acRps.toFixed(0)} req/s (${ac.requests.total} requests, ${ac.errors} errors, ${ac.non2xx} non-2xx)`,
    );
    const us = await ours(url);
    console.log(`upcert load: ${us.rps.toFixed(0)} req/s (${us.total} requests, ${us.failed} failed)`);
    console.log(`ratio upcert/autocannon: ${(us.rps / acRps).toFixed(2)}`);
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    if (child.exitCode === null) await once(child, 'exit');
    clearTimeout(killer);
  }
  const mb = (n: number) => (n / 1e6).toFixed(1);
  console.log(
    `ledger: ${mb(m.bytesPerRow * 1e6)} MB per million rows (${m.bytesPerRow.toFixed(1)} B/row; heap ${mb(m.heapDelta)} MB, arrayBuffers ${mb(m.arrayBuffersDelta)} MB)`,
  );
}

if (args.serve) await serve();
else await main();
