/**
 * `npm run bench:certify`: wall time of the full local certification (v1.7.0 → v1.8.0 with rollback, all
 * checks) and how it splits over the journey's steps, from the run's own timeline (step markers).
 * usage: npm run bench:certify [-- --from v1.7.0 --to v1.8.0]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const from = args[args.indexOf('--from') + 1] && args.includes('--from') ? args[args.indexOf('--from') + 1] : 'v1.7.0';
const to = args.includes('--to') ? args[args.indexOf('--to') + 1] : 'v1.8.0';
const root = path.resolve(import.meta.dirname, '..');

const started = performance.now();
const run = spawnSync('node', ['bin/upcert.js', 'certify', '--from', String(from), '--to', String(to)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, CI: 'true' },
});
const wallMs = performance.now() - started;

const dir = path.join(root, 'reports', 'latest');
const certificate = JSON.parse(readFileSync(path.join(dir, 'certificate.json'), 'utf8'));
const timeline = JSON.parse(readFileSync(path.join(dir, 'timeline.json'), 'utf8')) as {
  events: { t: number; kind: string; detail?: unknown }[];
};
const starts = new Map<string, number>();
const rows: [string, number][] = [];
for (const e of timeline.events) {
  if (e.kind === 'step-started') starts.set(String(e.detail), e.t);
  if ((e.kind === 'step-done' || e.kind === 'step-failed') && starts.has(String(e.detail))) {
    rows.push([String(e.detail), e.t - (starts.get(String(e.detail)) ?? e.t)]);
  }
}
const stepsMs = rows.reduce((n, [, ms]) => n + ms, 0);
console.log(`\nbench:certify ${from} → ${to} (exit ${run.status}, verdict ${certificate.verdict})`);
console.log(`wall time (CLI, incl. preflight, vitest start, checks, report): ${(wallMs / 1000).toFixed(1)} s`);
for (const [name, ms] of rows) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
console.log(`  ${((wallMs - stepsMs) / 1000).toFixed(1).padStart(6)} s  checks, report, start-up and teardown`);
console.log(`load: ${certificate.load.total} requests, ${certificate.load.failed} failed`);
