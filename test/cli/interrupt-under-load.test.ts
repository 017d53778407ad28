/**
 * Ctrl-C in the middle of the upgrade under load (issue 11 items 5, 8, 11): the running step is aborted and its
 * load stopped before the teardown begins (read from the run's own ledger and timeline, not from seconds), the
 * run's temp files (vitest's, the platform's, Chromium's profile and `org.chromium.Chromium.*`) all lived under
 * one temp dir that is gone at exit, and no "process.exit unexpectedly called" noise is printed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../targets/local/process-tree.ts';
import { cliEnv, repoRoot } from './support/run-cli.ts';

const upgradeDeadlineMs = 240_000;
const exitDeadlineMs = 60_000;

let tmp: string;
let childTmp: string;
let reportDir: string;
let pid: number | undefined;
let observed: { code: number | null; exitMs: number; output: string; runDir: string; tmpLeft: string[] };

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-interrupt-load-test-'));
    childTmp = path.join(tmp, 'tmp');
    reportDir = path.join(tmp, 'reports');
    await mkdir(childTmp);
    // traversable: as root, embedded PostgreSQL runs as another user and must reach its dir under TMPDIR
    await chmod(tmp, 0o711);
    await chmod(childTmp, 0o711);
    const child = spawn(process.execPath, ['bin/upcert.js', 'certify', '--report-dir', reportDir], {
      cwd: repoRoot,
      env: cliEnv({ TMPDIR: childTmp }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pid = child.pid;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const runDir = () => {
      const runs = existsSync(reportDir) ? readdirSync(reportDir).filter((d) => /^\d{8}T/.test(d)) : [];
      return runs[0] ? path.join(reportDir, runs[0]) : '';
    };
    const output = () => {
      const log = runDir() && path.join(runDir(), 'upcert.log');
      return `${stderr}\n${log && existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
    };
    // the upgrade's load has run for a while: requests are in flight when Ctrl-C comes
    const loading = await eventually(() => /load started \(upgrade\)/.test(output()), upgradeDeadlineMs);
    if (!loading) throw new Error(`the upgrade's load never started; output:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 3000));
    const sent = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), exitDeadlineMs))]);
    const exitMs = Date.now() - sent;
    observed = { code, exitMs, output: output(), runDir: runDir(), tmpLeft: readdirSync(childTmp) };
    process.stdout.write(`first Ctrl-C to exit: ${exitMs} ms (exit ${code})\n`);
  },
  upgradeDeadlineMs + exitDeadlineMs + 30_000,
);

afterAll(async () => {
  if (pid) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('Ctrl-C during the upgrade under load', () => {
  it('exits 130', () => {
    expect(observed.code, observed.output.slice(-3000)).toBe(130);
  });

  it('stops the load before the teardown begins (timeline), and no request of the ledger outlives that moment', () => {
    const timeline = JSON.parse(readFileSync(path.join(observed.runDir, 'timeline.json'), 'utf8')) as {
      events: { t: number; kind: string; detail?: string }[];
    };
    const kinds = timeline.events.map((e) => e.kind);
    const stopped = timeline.events.findIndex((e) => e.kind === 'load-stopped' && /interrupted/.test(e.detail ?? ''));
    const teardown = kinds.indexOf('teardown-started');
    expect(stopped, kinds.join(' ')).toBeGreaterThanOrEqual(0);
    expect(teardown).toBeGreaterThan(stopped);
    const teardownAt = timeline.events[teardown]!.t;
    const rows = readFileSync(path.join(observed.runDir, 'ledger.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(10);
    const header = readFileSync(path.join(observed.runDir, 'ledger.csv'), 'utf8').split('\n')[0]!.split(',');
    const endAt = header.indexOf('end_ms');
    const lastEnd = Math.max(...rows.map((r) => Number(r.split(',')[endAt])));
    expect(lastEnd).toBeLessThanOrEqual(teardownAt);
  });

  it('leaves nothing in the temp dir it was given: no Chromium profile or org.chromium.Chromium.*, no vitest dir', () => {
    // tsx's compile cache (tsx-<uid>) is the loader's, made before the run starts and shared by every run
    expect(observed.tmpLeft.filter((f) => !/^tsx-\d+$/.test(f))).toEqual([]);
  });

  it('prints no "process.exit unexpectedly called" trace', () => {
    expect(observed.output).not.toContain('process.exit unexpectedly called');
    expect(observed.output).not.toMatch(/unhandled error/i);
  });
});
