/**
 * `npm run bench:gateway [-- --seconds 30 --connections 32 --tool wrk|autocannon]`: two gateway replicas
 * (v1.8.0, from source) behind a per-connection round-robin TCP front door, provider-mock at zero latency,
 * the real control plane and embedded PostgreSQL; load from a separate process (wrk when installed, else
 * autocannon). Prints req/s, p50/p99 latency and errors, then stops the gateways (SIGTERM, usage flushed)
 * and checks that the usage ledger holds one row per 200 (plus the requests in flight when the tool stopped).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFrontDoor } from '../fixtures/platform/test/gateway-support/front-door.ts';
import { startStack } from '../fixtures/platform/test/gateway-support/stack.ts';
import type { ComponentProcess } from '../fixtures/platform/test/support/component-process.ts';
import { createLogger } from '../src/common/logger.ts';

const log = createLogger('bench:gateway');
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '32' },
    tool: { type: 'string', default: existsSync('/usr/bin/wrk') ? 'wrk' : 'autocannon' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const body = JSON.stringify({
  model: 'coding-default',
  messages: [{ role: 'user', content: 'hello bench of the gateway' }],
});

interface Figures {
  requests: number;
  ok: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: string;
}

function run(cmd: string, argv: string[], deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited ${code}: ${err.slice(-500)}`));
    });
  });
}

const toMs = (v: string) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
};

async function withWrk(url: string, key: string): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
  try {
    const script = join(dir, 'post.lua');
    await writeFile(
      script,
      `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\n` +
        `wrk.headers["Authorization"] = "Bearer ${key}"\n`,
    );
    const out = await run(
      'wrk',
      ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${url}/v1/chat/completions`],
      (seconds + 30) * 1000,
    );
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: (.*)/.exec(out)?.[1] ?? 'none';
    return {
      requests,
      ok: requests - non2xx,
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
      p50Ms: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
      p99Ms: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
      errors: `non-2xx ${non2xx}; socket errors: ${socket}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withAutocannon(url: string, key: string): Promise<Figures> {
  const bin = join(process.cwd(), 'node_modules/.bin/autocannon');
  const out = await run(
    bin,
    [
      '-j',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-H',
      `authorization=Bearer ${key}`,
      '-b',
      body,
      `${url}/v1/chat/completions`,
    ],
    (seconds + 30) * 1000,
  );
  const r = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  };
  return {
    requests: r.requests.total,
    ok: r['2xx'],
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: `non-2xx ${r.non2xx}; errors ${r.errors}; timeouts ${r.timeouts}`,
  };
}

async function main(): Promise<void> {
  log.info('starting PostgreSQL, provider-mock (latency 0), control plane, 2 gateways');
  const stack = await startStack({
    version: 'v1.8.0',
    gateway: { usageFlushMs: 200, snapshotPollMs: 250, drain: { propagationSeconds: 1.5, keepAliveTimeoutSeconds: 5 } },
    providerMock: { latencyMs: 0, streamChunks: 6, chunkDelayMs: 0 },
  });
  const gateways: ComponentProcess[] = [];
  const door = await startFrontDoor([]);
  try {
    for (let i = 1; i <= 2; i++) gateways.push(await stack.startGateway({ replica: `gateway-bench-${i}` }));
    door.setBackends(gateways.map((g) => g.port));
    log.info(`load: ${args.tool}, ${connections} connections, ${seconds} s, through ${door.url}`);
    const f =
      args.tool === 'wrk' ? await withWrk(door.url, stack.keys.ana) : await withAutocannon(door.url, stack.keys.ana);
    for (const g of gateways) await g.stop('SIGTERM');
    const rows = Number((await stack.db.pool.query('SELECT count(*)::int AS n FROM usage')).rows[0].n);
    process.stdout.write(
      `${[
        `bench:gateway (${args.tool}, ${connections} connections, ${seconds} s, 2 replicas behind an L4 front door)`,
        `  requests ${f.requests}, 200 ${f.ok}, ${f.rps.toFixed(0)} req/s`,
        `  latency p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`,
        `  errors: ${f.errors}`,
        `  usage rows written: ${rows} (200s counted by ${args.tool}: ${f.ok}; up to ${connections} more were in flight when it stopped: ${rows >= f.ok && rows <= f.ok + connections ? 'consistent' : 'MISMATCH'})`,
      ].join('\n')}\n`,
    );
  } finally {
    await door.close();
    await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
    await stack.stop();
  }
}

await main();
