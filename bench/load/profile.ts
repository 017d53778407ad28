/**
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/load/profile.ts [--seconds S] [--mix]`: upcert's
 * generator alone against the bench's nginx target (closed loop, 16 keep-alive connections; `--mix`: open
 * loop at 4,000 req/s of the realistic mix), so that a CPU profile shows where a request's time goes
 * (undici, node:net, the ledger). Read it with `bench/load/profile-summary.py DIR/*.cpuprofile`.
 */
import { parseArgs } from 'node:util';
import { setLogLevel } from '../../src/common/logger.ts';
import { startNginxTarget } from './nginx-target.ts';
import { hold, ours, realisticMix } from './tools.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, mix: { type: 'boolean' } },
});
setLogLevel('warn');
await using nginx = await startNginxTarget();
const seconds = Number(args.seconds);
if (args.mix) {
  const h = await hold(nginx.url, 4000, seconds, realisticMix, { maxInFlight: 512 });
  console.log(`mix at 4000 req/s: ${h.served} served, client CPU ${h.cpuUs.toFixed(1)} µs/request`);
} else {
  const cpu0 = process.cpuUsage();
  const seg = await ours(nginx.url, seconds, 16);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `keep-alive max: ${(seg.requests / seg.seconds).toFixed(0)} req/s, ${((cpu.user + cpu.system) / seg.requests).toFixed(1)} µs/request`,
  );
}
