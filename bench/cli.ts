/**
 * `npm run bench:cli`: start-up of the command line, the median wall time of `npx upcert --help`, of the same
 * without npx, and of a usage error (aim: under 0.5 s each), beside `node -e 0` and `npx -c true` (this
 * machine's own start-up and npx's own floor, which say how loaded it is and what no CLI can go under). Each command runs `--runs` times (default 15) after two warm-up runs.
 * usage: npm run bench:cli [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 15;
const root = path.resolve(import.meta.dirname, '..');
const aimMs = 500;

const commands: [string, string[], number][] = [
  ['node -e 0', [process.execPath, '-e', '0'], 0],
  ['npx -c true', ['npx', '-c', 'true'], 0],
  ['npx upcert --help (in this checkout)', ['npx', 'upcert', '--help'], 0],
  ['node bin/upcert.js --help', [process.execPath, 'bin/upcert.js', '--help'], 0],
  ['node bin/upcert.js certify --no-such-flag', [process.execPath, 'bin/upcert.js', 'certify', '--no-such-flag'], 2],
];

/**
 * Where users run `npx upcert`: in this checkout npm installs the project itself into its npx cache first (its
 * own package has the bin: libnpmexec lib/index.js "self-execution of a local bin", an Arborist load of both
 * trees on every call); in a project that depends on upcert, npx runs node_modules/.bin/upcert at once. A
 * temporary project with that link stands in for the second.
 */
const consumer = mkdtempSync(path.join(os.tmpdir(), 'upcert-bench-consumer-'));
mkdirSync(path.join(consumer, 'node_modules', '.bin'), { recursive: true });
writeFileSync(path.join(consumer, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
symlinkSync(path.join(root, 'bin', 'upcert.js'), path.join(consumer, 'node_modules', '.bin', 'upcert'));
process.on('exit', () => rmSync(consumer, { recursive: true, force: true }));
commands.splice(3, 0, ['npx upcert --help (a project depending on it)', ['npx', 'upcert', '--help'], 0]);
const cwdOf = (name: string) => (name.includes('depending') ? consumer : root);

function once([file, ...rest]: string[], expectCode: number, cwd = root): number {
  const started = performance.now();
  const r = spawnSync(file!, rest, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== expectCode)
    throw new Error(`${[file, ...rest].join(' ')}: exit ${r.status}, expected ${expectCode}\n${r.stderr}`);
  return ms;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(`bench:cli, ${runs} runs each (after 2 warm-up runs), node ${process.version}`);
// npx walks the whole node_modules tree when npm's hidden lockfile is older than node_modules (an entry was
// added there after `npm ci`: @npmcli/arborist lib/shrinkwrap.js assertNoNewer), ~0.5 s here
const lockfile = path.join(root, 'node_modules', '.package-lock.json');
const stale = statSync(path.join(root, 'node_modules')).mtimeMs > statSync(lockfile).mtimeMs;
console.log(`npm's hidden lockfile: ${stale ? 'STALE (something wrote into node_modules after npm ci)' : 'fresh'}`);
let slow = false;
for (const [name, argv, code] of commands) {
  for (let i = 0; i < 2; i++) once(argv, code, cwdOf(name));
  const times = Array.from({ length: runs }, () => once(argv, code, cwdOf(name))).sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  const aimed = !['node -e 0', 'npx -c true'].includes(name);
  if (aimed && median >= aimMs) slow = true;
  const verdict = aimed ? (median < aimMs ? `  under ${aimMs} ms` : `  OVER ${aimMs} ms`) : '  (baseline)';
  console.log(
    `${name.padEnd(48)} median ${median.toFixed(0).padStart(5)} ms  min ${times[0]!.toFixed(0).padStart(5)}  p90 ${quantile(times, 0.9).toFixed(0).padStart(5)}${verdict}`,
  );
}
process.exitCode = slow ? 1 : 0;
