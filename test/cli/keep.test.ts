/**
 * `upcert certify --keep` (issue 11 item 2) and an inconclusive run through the real CLI (item 1), in one full
 * certification: the report directory's `latest` is a directory upcert cannot replace, a report it could not
 * write, so the verdict is inconclusive (exit 4) with that harness fault as the reason; `--keep` then keeps the
 * whole platform serving in the foreground (one JSON line with its URLs on stdout) until Ctrl-C, which stops
 * everything and leaves nothing in the temp dir the run was given.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesUnder } from '../../src/cli/force-exit.ts';
import { certificateSchema } from '../../src/report/certificate.ts';
import { eventually } from '../targets/local/process-tree.ts';
import { cliEnv, repoRoot } from './support/run-cli.ts';

const runDeadlineMs = 480_000;
const exitDeadlineMs = 60_000;

let tmp: string;
let childTmp: string;
let reportDir: string;
let cli: ChildProcess | undefined;
let observed: {
  kept: Record<string, string>;
  gatewayStatus: number;
  consoleStatus: number;
  platformProcesses: number;
  code: number | null;
  stdout: string;
  leftProcesses: string[];
  leftFiles: string[];
};

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-keep-test-'));
    childTmp = path.join(tmp, 'tmp');
    reportDir = path.join(tmp, 'reports');
    await mkdir(childTmp);
    // traversable: as root, embedded PostgreSQL runs as another user and must reach its dir under TMPDIR
    await chmod(tmp, 0o711);
    await chmod(childTmp, 0o711);
    // `latest` is a directory with something in it: upcert cannot point it at the run (a report it cannot write)
    await mkdir(path.join(reportDir, 'latest'), { recursive: true });
    await writeFile(path.join(reportDir, 'latest', 'keep-me'), 'x');
    const child = spawn(process.execPath, ['bin/upcert.js', 'certify', '--keep', '--report-dir', reportDir], {
      cwd: repoRoot,
      env: cliEnv({ TMPDIR: childTmp }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = () => stdout.split('\n').find((l) => l.startsWith('{'));
    if (!(await eventually(() => line() !== undefined || child.exitCode !== null, runDeadlineMs)) || !line())
      throw new Error(`no JSON line from --keep; stdout:\n${stdout}\nstderr:\n${stderr.slice(-3000)}`);
    const kept = JSON.parse(line()!) as Record<string, string>;
    // serving after the run: the CLI is still there, and so is every part of the platform
    await new Promise((r) => setTimeout(r, 2000));
    const gatewayStatus = (await fetch(`${kept.gateway}/healthz`).catch(() => null))?.status ?? 0;
    const consoleStatus = (await fetch(kept.console!, { redirect: 'manual' }).catch(() => null))?.status ?? 0;
    const platformProcesses = processesUnder(childTmp).length;
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), exitDeadlineMs))]);
    await eventually(() => processesUnder(childTmp).length === 0, 10_000);
    observed = {
      kept,
      gatewayStatus,
      consoleStatus,
      platformProcesses,
      code,
      stdout,
      leftProcesses: processesUnder(childTmp).map((p) => `${p.pid} ${p.command}`),
      leftFiles: readdirSync(childTmp).filter((f) => !/^tsx-\d+$/.test(f)), // tsx's cache: the loader's, shared
    };
  },
  runDeadlineMs + exitDeadlineMs + 30_000,
);

afterAll(async () => {
  if (cli?.pid) {
    try {
      process.kill(-cli.pid, 'SIGKILL');
    } catch {}
  }
  for (const p of processesUnder(childTmp ?? '/nonexistent')) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('certify --keep, on a run whose report could not be fully written', () => {
  it('prints one JSON line with the URLs and keeps the whole platform serving in the foreground', () => {
    expect(Object.keys(observed.kept).sort()).toEqual(['console', 'controlPlane', 'gateway', 'identity', 'release']);
    expect(observed.gatewayStatus).toBe(200);
    expect(observed.consoleStatus).toBeGreaterThanOrEqual(200);
    expect(observed.consoleStatus).toBeLessThan(500);
    expect(observed.platformProcesses).toBeGreaterThanOrEqual(10);
  });

  it('is inconclusive (exit 4 once Ctrl-C stops the kept platform), naming the report it could not write', () => {
    expect(observed.code).toBe(4);
    expect(observed.stdout).toMatch(/verdict: INCONCLUSIVE/);
    const runs = readdirSync(reportDir).filter((d) => /^\d{8}T/.test(d));
    const certificate = certificateSchema.parse(
      JSON.parse(readFileSync(path.join(reportDir, runs[0]!, 'certificate.json'), 'utf8')),
    );
    expect(certificate.verdict).toBe('inconclusive');
    expect(certificate.harnessFaults.map((f) => `${f.source}: ${f.reason}`).join('\n')).toMatch(
      /^report: could not write reports\/latest: /m,
    );
  });

  it('Ctrl-C stops everything: no process of the run, nothing in its temp dir', () => {
    expect(observed.leftProcesses).toEqual([]);
    expect(observed.leftFiles).toEqual([]);
  });
});
