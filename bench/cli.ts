/**
 * `npm run bench:cli`: start-up of the command line, the median wall time of `npx upcert --help`, of the same
 * without npx, and of a usage error (aim: under 0.5 s each), beside `node -e 0` (this machine's own start-up,
 * which says how loaded it is). Each command runs `--runs` times (default 15) after two warm-up runs.
 * usage: npm run bench:cli [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 15;
const root = path.resolve(import.meta.dirname, '..');
const aimMs = 500;

const commands: [string, string[], number][] = [
  ['node -e 0', [process.execPath, '-e', '0'], 0],
  ['npx upcert --help', ['npx', 'upcert', '--help'], 0],
  ['node bin/upcert.js --help', [process.execPath, 'bin/upcert.js', '--help'], 0],
  ['node bin/upcert.js certify --no-such-flag', [process.execPath, 'bin/upcert.js', 'certify', '--no-such-flag'], 2],
];

function once([file, ...rest]: string[], expectCode: number): number {
  const started = performance.now();
  const r = spawnSync(file!, rest, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== expectCode)
    throw new Error(`${[file, ...rest].join(' ')}: exit ${r.status}, expected ${expectCode}\n${r.stderr}`);
  return ms;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(`bench:cli, ${runs} runs each (after 2 warm-up runs), node ${process.version}`);
let slow = false;
for (const [name, argv, code] of commands) {
  for (let i = 0; i < 2; i++) once(argv, code);
  const times = Array.from({ length: runs }, () => once(argv, code)).sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  const aimed = name !== 'node -e 0';
  if (aimed && median >= aimMs) slow = true;
  const verdict = aimed ? (median < aimMs ? `  under ${aimMs} ms` : `  OVER ${aimMs} ms`) : '  (baseline)';
  console.log(
    `${name.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms  min ${times[0]!.toFixed(0).padStart(5)}  p90 ${quantile(times, 0.9).toFixed(0).padStart(5)}${verdict}`,
  );
}
process.exitCode = slow ? 1 : 0;
