/**
 * SIGTERM to the process group of `npx upcert certify` (issue 11 item 4), as npm scripts and CI runners send it:
 * npx exits at once and its reader goes away (the pipes close), yet the CLI must finish on its own: stop every
 * process of the platform, and leave complete reports (never a truncated certificate.json or junit.xml, no
 * half-written temp file) and nothing in the temp dir it was given.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesUnder } from '../../src/cli/force-exit.ts';
import { certificateSchema } from '../../src/report/certificate.ts';
import { eventually } from '../targets/local/process-tree.ts';
import { cliEnv, repoRoot } from './support/run-cli.ts';

const installDeadlineMs = 180_000;
const cleanupDeadlineMs = 60_000;

let tmp: string;
let childTmp: string;
let reportDir: string;
let pgid: number | undefined;
let observed: { npxCode: number | null; npxSignal: string | null; left: string[]; cleanedMs: number; runDir: string };

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-sigterm-test-'));
    childTmp = path.join(tmp, 'tmp');
    reportDir = path.join(tmp, 'reports');
    await mkdir(childTmp);
    // traversable: as root, embedded PostgreSQL runs as another user and must reach its dir under TMPDIR
    await chmod(tmp, 0o711);
    await chmod(childTmp, 0o711);
    const npx = spawn('npx', ['upcert', 'certify', '--report-dir', reportDir], {
      cwd: repoRoot,
      env: cliEnv({ TMPDIR: childTmp }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pgid = npx.pid;
    npx.stdout!.resume();
    npx.stderr!.resume();
    const exited = new Promise<[number | null, string | null]>((r) => npx.once('exit', (c, s) => r([c, s])));
    const runDir = () => {
      const runs = existsSync(reportDir) ? readdirSync(reportDir).filter((d) => /^\d{8}T/.test(d)) : [];
      return runs[0] ? path.join(reportDir, runs[0]) : '';
    };
    const log = () =>
      runDir() && existsSync(path.join(runDir(), 'upcert.log'))
        ? readFileSync(path.join(runDir(), 'upcert.log'), 'utf8')
        : '';
    const installed = await eventually(() => /installed v1\.7\.0/.test(log()), installDeadlineMs);
    if (!installed) throw new Error(`release N never installed; log:\n${log().slice(-3000)}`);
    process.kill(-pgid!, 'SIGTERM');
    const [npxCode, npxSignal] = await exited;
    // the runner is gone: nobody reads the CLI's output any more
    npx.stdout!.destroy();
    npx.stderr!.destroy();
    const since = Date.now();
    await eventually(() => processesUnder(childTmp).length === 0, cleanupDeadlineMs);
    const cleanedMs = Date.now() - since;
    const left = processesUnder(childTmp).map((p) => `${p.pid} ${p.command}`);
    observed = { npxCode, npxSignal, left, cleanedMs, runDir: runDir() };
    process.stdout.write(`npx exited (${npxCode ?? npxSignal}); the run's processes were gone ${cleanedMs} ms later\n`);
  },
  installDeadlineMs + cleanupDeadlineMs + 60_000,
);

afterAll(async () => {
  for (const p of processesUnder(childTmp ?? '/nonexistent')) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
  }
  if (pgid) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('SIGTERM to the group of npx upcert certify', () => {
  it('every process of the run stops although npx returned at once', () => {
    expect(observed.left).toEqual([]);
  });

  it('leaves a complete certificate and junit.xml, and no half-written file', () => {
    const files = readdirSync(observed.runDir);
    expect(files.filter((f) => /\.(tmp|partial)$/.test(f))).toEqual([]);
    const certificate = certificateSchema.parse(
      JSON.parse(readFileSync(path.join(observed.runDir, 'certificate.json'), 'utf8')),
    );
    expect(certificate.stepFailures.map((s) => s.step)).toContain('interrupted');
    if (files.includes('junit.xml'))
      expect(readFileSync(path.join(observed.runDir, 'junit.xml'), 'utf8').trim()).toMatch(/<\/testsuites>$/);
  });

  it('leaves nothing in the temp dir it was given', async () => {
    // Caches made before the run starts and shared by every run: tsx's compile cache (tsx-<uid>), and on Node
    // >= 22.1 npm's: npx runs npm's lib/cli.js, which calls `module.enableCompileCache()` (npm 10/11), whose
    // default dir is `path.join(os.tmpdir(), 'node-compile-cache')` (Node's module docs).
    const shared = /^(tsx-\d+|node-compile-cache)$/;
    const ours = () => readdirSync(childTmp).filter((f) => !shared.test(f));
    expect(await eventually(() => ours().length === 0, 10_000), ours().join(' ')).toBe(true);
  });
});
