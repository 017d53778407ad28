/**
 * `npm run bench:load`: upcert's load generator side by side with autocannon in one run, and what the
 * issues ask of it (16, 10):
 * 1. the ledger's memory per million rows, intended-start column included, filled directly and as load workers
 *    hand it over (merge included);
 * 2. keep-alive at max rate, same server and connections, against the bench's Node server and against
 *    nginx: req/s, the ratio to autocannon, own CPU per request;
 * 3. open loop against nginx: 4,000 req/s of the mix (45 % fresh connections, 10 % streams) and 8,000 req/s
 *    keep-alive-only with one generator, then 8,000 keep-alive and 6,000 of the mix on two worker threads, for
 *    10 s each: the rate held per second, CPU per request (the process's, threads included);
 * 4. the mix's floors (`load/floor.ts`): the same open loop sent by undici alone (callbacks dropped) and, for fresh
 *    connections, by node:net alone, alternating with upcert: what of a request's CPU is upcert's own.
 * `node --expose-gc --import tsx bench/load.ts [--rounds N] [--seconds S] [--connections C] [--hold-seconds S]
 *  [--floor-rounds N] [--only keep-alive|floors]`
 *
 * Source maps are off, as in the CLI (it runs from its esbuild bundle without them): tsx turns them on, and then
 * every error stack Node's stream `destroy()` formats (undici closes each `connection: close` socket with an
 * InformationalError, whose stack `destroy()` reads) goes through the source-map lookup, which no user pays.
 *
 * The machine is shared (2 cores), so the tools take turns in short segments, each round putting another tool
 * first (A B C, B C A, C A B, ...), after an untimed warm-up; figures are medians over the segments, a ratio the
 * median of the per-round ratios.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../src/common/logger.ts';
import { type FloorRun, netAlone, undiciAlone, undiciClosed } from './load/floor.ts';
import { ledgerMemory } from './load/memory.ts';
import { startNginxTarget } from './load/nginx-target.ts';
import { type Child, serve, startChild } from './load/server-child.ts';
import { freshOnly, type Hold, hold, keepAliveOnly, ours, realisticMix, type Segment, theirs } from './load/tools.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    'hold-seconds': { type: 'string', default: '10' },
    'floor-rounds': { type: 'string', default: '3' },
    only: { type: 'string' },
    serve: { type: 'boolean' },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const holdSeconds = Number(args['hold-seconds']);
const floorRounds = Number(args['floor-rounds']);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Figures {
  rps: number[];
  /** Own CPU per request, µs; and the server's, when it is our child. */
  clientUs: number[];
  serverUs: number[];
  failed: number;
}
type Tool = (url: string, s: number, c: number) => Promise<Segment>;

async function measure(url: string, child: Child | null, tool: Tool, f: Figures): Promise<number> {
  const cpu0 = child ? await child.cpu() : 0;
  const own0 = process.cpuUsage();
  const seg = await tool(url, seconds, connections);
  const own = process.cpuUsage(own0);
  const rps = seg.requests / seg.seconds;
  f.rps.push(rps);
  f.clientUs.push((own.user + own.system) / seg.requests);
  if (child) f.serverUs.push(((await child.cpu()) - cpu0) / seg.requests);
  f.failed += seg.failed;
  return rps;
}

async function compare(what: string, url: string, child: Child | null): Promise<void> {
  console.log(
    `\n${what}: ${rounds} rounds of ${seconds}s per tool, alternating; ${connections} connections, keep-alive, max rate`,
  );
  const tools: [string, Tool][] = [
    ['autocannon  ', theirs],
    ['upcert load ', ours],
    ['undici alone', undiciClosed],
  ];
  for (const [, tool] of tools) await tool(url, 1, connections); // warm-up, untimed
  const figures = tools.map((): Figures => ({ rps: [], clientUs: [], serverUs: [], failed: 0 }));
  const ratios: number[] = [];
  const floorRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // each round puts another tool first
    const order = [0, 1, 2].map((i) => (i + round) % 3);
    const rps = [0, 0, 0];
    for (const i of order) rps[i] = await measure(url, child, tools[i]![1], figures[i]!);
    ratios.push(rps[1]! / rps[0]!);
    floorRatios.push(rps[2]! / rps[0]!);
  }
  const line = (name: string, f: Figures) =>
    `  ${name}: ${median(f.rps).toFixed(0)} req/s median (min ${Math.min(...f.rps).toFixed(0)}, max ${Math.max(...f.rps).toFixed(0)}); ` +
    `CPU/request ${median(f.clientUs).toFixed(1)} µs own${f.serverUs.length ? `, ${median(f.serverUs).toFixed(1)} µs server` : ''}; ${f.failed} failed`;
  for (const [i, [name]] of tools.entries()) console.log(line(name, figures[i]!));
  const [ac, up, un] = figures.map((f) => median(f.clientUs));
  console.log(
    `  ratio upcert/autocannon: ${median(ratios).toFixed(2)} req/s (median of ${rounds} per-round ratios); ` +
      `own CPU per request ${(up! / ac!).toFixed(2)}× autocannon's; undici alone/autocannon ${median(floorRatios).toFixed(2)} req/s, ` +
      `CPU ${(un! / ac!).toFixed(2)}×; upcert over undici alone ${(up! - un!).toFixed(1)} µs/request`,
  );
}

function holdLine(what: string, h: Hold): string {
  const worst = Math.min(...h.perSecond);
  const held = h.perSecond.every((n) => n >= h.asked * 0.99);
  return (
    `  ${what}: asked ${h.asked} req/s, sent per second min ${worst} / median ${median(h.perSecond)} ` +
    `(${held ? 'held within 1 %' : 'NOT held'} every second); ${h.served} served, ${h.failed} failed, ${h.late} late, ` +
    `${h.behind} seconds behind; client CPU ${h.cpuUs.toFixed(1)} µs/request; p99 latency ${h.p99LatencyMs.toFixed(1)} ms`
  );
}

/** CPU per request, µs, as `median (user-space median)` over the runs. */
function cpuLine(name: string, runs: { cpuUs: number; userUs: number; failed: number }[]): string {
  const cpu = median(runs.map((r) => r.cpuUs));
  const user = median(runs.map((r) => r.userUs));
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  return `  ${name}: ${cpu.toFixed(1)} µs/request (user space ${user.toFixed(1)}, kernel ${(cpu - user).toFixed(1)}); runs ${runs.map((r) => r.cpuUs.toFixed(0)).join(', ')}; ${failed} failed`;
}

/** The mix's CPU per request against what undici alone and node:net alone pay for the same open loop. */
async function floors(url: string): Promise<void> {
  const rate = 4000;
  const freshRate = 1800; // the mix's fresh connections at 4,000 req/s
  console.log(
    `\nfloors against nginx, open loop, ${holdSeconds}s each, ${floorRounds} rounds alternating (medians; the kernel's share is connects and closes mostly)`,
  );
  const mix = { undici: [] as FloorRun[], upcert: [] as Hold[] };
  const only = { net: [] as FloorRun[], undici: [] as FloorRun[], upcert: [] as Hold[] };
  const capped = { maxInFlight: 512 };
  for (let round = 0; round < floorRounds; round++) {
    const pair = [
      async () => mix.undici.push(await undiciAlone(url, rate, holdSeconds, realisticMix)),
      async () => mix.upcert.push(await hold(url, rate, holdSeconds, realisticMix, capped)),
    ];
    const three = [
      async () => only.net.push(await netAlone(url, freshRate, holdSeconds)),
      async () => only.undici.push(await undiciAlone(url, freshRate, holdSeconds, freshOnly)),
      async () => only.upcert.push(await hold(url, freshRate, holdSeconds, freshOnly, capped)),
    ];
    // each round puts another one first
    const rotate = <T>(xs: T[]) => xs.map((_, i) => xs[(i + round) % xs.length]!);
    for (const step of [...rotate(pair), ...rotate(three)]) await step();
  }
  console.log(`  the mix (45 % fresh connections, 10 % streams) at ${rate} req/s:`);
  console.log(cpuLine('undici alone', mix.undici));
  console.log(cpuLine('upcert      ', mix.upcert));
  console.log(`  fresh connections only at ${freshRate} req/s:`);
  console.log(cpuLine('node:net alone', only.net));
  console.log(cpuLine('undici alone  ', only.undici));
  console.log(cpuLine('upcert        ', only.upcert));
}

async function main(): Promise<void> {
  setLogLevel('warn');
  process.setSourceMapsEnabled(false);
  if (args.only === 'keep-alive') {
    await using nginx = await startNginxTarget();
    await compare('nginx 1.22, 1 worker, static replies', nginx.url, null);
    return;
  }
  if (args.only === 'floors') {
    await using nginx = await startNginxTarget();
    await floors(nginx.url); // awaited here: nginx is disposed when this block ends
    return;
  }
  const mb = (n: number) => (n / 1e6).toFixed(1);
  for (const how of ['direct', 'merged'] as const) {
    const m = await ledgerMemory(how);
    console.log(
      `ledger (${how === 'direct' ? 'one generator' : 'from load workers, merge included'}): ${mb(m.bytesPerRow * 1e6)} MB per million rows (${m.bytesPerRow.toFixed(1)} B/row; heap ${mb(m.heapDelta)} MB, arrayBuffers ${mb(m.arrayBuffersDelta)} MB)`,
    );
  }
  const child = await startChild(fileURLToPath(import.meta.url));
  try {
    await compare(`the bench's Node server (child pid ${child.process.pid})`, child.url, child);
  } finally {
    await child.close();
  }
  await using nginx = await startNginxTarget();
  await compare('nginx 1.22, 1 worker, static replies', nginx.url, null);
  console.log(`\nopen loop against nginx, ${holdSeconds}s each (each after the last one's TIME_WAIT sockets are gone)`);
  await hold(nginx.url, 2000, 1, realisticMix); // warm-up
  const mix = 'mix 45 % fresh, 10 % streams';
  // the default in-flight cap (a request timeout's worth at the rate: 16,384 here) lets the keep-alive pool open
  // a connection for every due request whenever the generator falls behind, and each connect costs it more
  // CPU: shown once with the default, then with a cap that a few ms of the rate's latency fills
  const capped = { maxInFlight: 512 };
  console.log(
    holdLine(
      'keep-alive only, 1 worker, default in-flight cap',
      await hold(nginx.url, 8000, holdSeconds, keepAliveOnly),
    ),
  );
  console.log(
    holdLine(
      'keep-alive only, 1 worker, in-flight cap 512',
      await hold(nginx.url, 8000, holdSeconds, keepAliveOnly, capped),
    ),
  );
  console.log(
    holdLine(
      'keep-alive only, 2 workers, in-flight cap 512',
      await hold(nginx.url, 8000, holdSeconds, keepAliveOnly, { ...capped, workers: 2 }),
    ),
  );
  console.log(
    holdLine(`${mix}, 1 worker, in-flight cap 512`, await hold(nginx.url, 4000, holdSeconds, realisticMix, capped)),
  );
  console.log(
    holdLine(
      `${mix}, 2 workers, in-flight cap 512`,
      await hold(nginx.url, 4000, holdSeconds, realisticMix, { ...capped, workers: 2 }),
    ),
  );
  await floors(nginx.url);
}

if (args.serve) serve();
else await main();
