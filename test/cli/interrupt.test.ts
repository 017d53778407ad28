/**
 * Ctrl-C during a real `upcert certify` (DESIGN.md: 130 interrupted, after cleaning up): the command runs in
 * its own process group like a terminal's foreground job; once release N is installed and answering, the whole
 * group gets SIGINT. Then: exit 130 within a deadline, a certificate, and nothing of the run left behind (no
 * process, no listening port, no temp dir).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepts, alive, descendants, eventually } from '../targets/local/process-tree.ts';
import { cliEnv, repoRoot } from './support/run-cli.ts';

const installDeadlineMs = 120_000;
const exitDeadlineMs = 60_000;

interface Observed {
  code: number | null;
  exitMs: number;
  stderr: string;
  runDir: string;
  pgDir: string;
  ports: number[];
  pids: number[];
  reportDir: string;
  /** What was still there the moment the command had exited (what its user would find). */
  leftAtExit: number[];
  listeningAtExit: number[];
  dirsAtExit: string[];
}

let tmp: string;
let cli: ChildProcess | undefined;
let observed: Observed;

/** Every process on the machine that belongs to this run: replicas by their environment, PostgreSQL by its dir. */
function processesOf(runDir: string, pgDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if ((environ.includes(runDir) || cmdline.includes(pgDir)) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
  } catch {
    return '(gone since)';
  }
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms: number, output: () => string) {
  if (!(await eventually(condition, ms)))
    throw new Error(`${what}: not within ${ms} ms; stderr:\n${output().slice(-3000)}`);
}

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-interrupt-test-'));
    const reportDir = path.join(tmp, 'reports');
    const child = spawn(
      process.execPath,
      ['bin/upcert.js', 'certify', '--from', 'v1.7.0', '--to', 'v1.8.0', '--report-dir', reportDir],
      { cwd: repoRoot, env: cliEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cli = child;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // the suites' log lines go to <run dir>/upcert.log (the terminal shows the progress of the steps)
    const runLog = () => {
      const runs = existsSync(reportDir) ? readdirSync(reportDir).filter((d) => d !== 'latest') : [];
      const file = runs[0] ? path.join(reportDir, runs[0], 'upcert.log') : '';
      return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    const output = () => `${stderr}\n${runLog()}`;

    // The platform is up: release N installed, and its gateway's front door answers.
    await waitFor(
      'release v1.7.0 installed',
      () => /\[local\] installed v1\.7\.0/.test(output()),
      installDeadlineMs,
      output,
    );
    const installing = /\[local\] installing v1\.7\.0 (\{.*\})/.exec(output());
    if (!installing) throw new Error(`no "installing" line with the run's endpoints; output:\n${output()}`);
    const where = JSON.parse(installing[1]!) as Record<string, string>;
    const runDir = where.runDir!;
    const ports = ['gateway', 'controlPlane', 'console', 'identity', 'providerMock'].map((k) =>
      Number(new URL(where[k]!).port),
    );
    await waitFor(
      'gateway answers',
      async () => (await fetch(`${where.gateway}/healthz`).catch(() => null))?.status === 200,
      10_000,
      output,
    );

    const tree = descendants(child.pid!);
    const postgres = tree
      .map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0'))
      .find((argv) => argv[0]?.endsWith('/postgres') && argv.includes('-D'));
    if (!postgres) throw new Error('no PostgreSQL among the run processes');
    const pgDir = path.dirname(postgres[postgres.indexOf('-D') + 1]!);
    ports.push(Number(postgres[postgres.indexOf('-p') + 1]));
    const pids = [...new Set([...tree, ...processesOf(runDir, pgDir)])];

    const sent = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), exitDeadlineMs)),
    ]);
    const exitMs = Date.now() - sent;
    const leftAtExit = [...new Set([...pids.filter(alive), ...processesOf(runDir, pgDir)])];
    const listeningAtExit: number[] = [];
    for (const port of ports) if (await accepts(port)) listeningAtExit.push(port);
    const dirsAtExit = [runDir, pgDir].filter((dir) => existsSync(dir));
    observed = { code, exitMs, stderr, runDir, pgDir, ports, pids, reportDir, leftAtExit, listeningAtExit, dirsAtExit };
  },
  installDeadlineMs + exitDeadlineMs + 30_000,
);

afterAll(async () => {
  // Whatever the assertions said: leave nothing behind.
  if (cli?.pid) {
    try {
      process.kill(-cli.pid, 'SIGKILL');
    } catch {}
    for (const pid of [...(observed?.pids ?? []), ...(observed ? processesOf(observed.runDir, observed.pgDir) : [])]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  if (observed) {
    await rm(observed.runDir, { recursive: true, force: true });
    await rm(observed.pgDir, { recursive: true, force: true });
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('Ctrl-C during upcert certify', () => {
  it('exits 130 within the deadline', () => {
    expect(observed.code, observed.stderr.slice(-3000)).toBe(130);
    expect(observed.exitMs).toBeLessThan(exitDeadlineMs);
  });

  it('leaves no process of the run once it has exited: replicas, provider-mock, PostgreSQL and its children', () => {
    expect(observed.pids.length).toBeGreaterThanOrEqual(10); // 4 components × 2 (HA), provider-mock, postgres…
    const described = observed.leftAtExit.map((pid) => `${pid} ${commandOf(pid)}`);
    expect(described).toEqual([]);
  });

  it('leaves no listening port once it has exited: front doors and PostgreSQL', () => {
    expect(observed.listeningAtExit).toEqual([]);
  });

  it('leaves no temp dir once it has exited: the run dir (upcert-local-*) and the PostgreSQL dir (upcert-pg-*)', () => {
    expect(path.basename(observed.runDir)).toMatch(/^upcert-local-/);
    expect(path.basename(observed.pgDir)).toMatch(/^upcert-pg-/);
    expect(observed.dirsAtExit).toEqual([]);
  });

  it('writes a certificate for the interrupted run, and reports/latest points at it', () => {
    const entries = existsSync(observed.reportDir) ? readdirSync(observed.reportDir) : [];
    const runs = entries.filter((e) => /^\d{8}T\d{6}Z-/.test(e));
    expect(runs).toHaveLength(1);
    expect(existsSync(path.join(observed.reportDir, runs[0]!, 'certificate.json')), `run dir: ${runs[0]}`).toBe(true);
    // nothing half-written next to it (e.g. the temporary link that replaces `latest`)
    expect(entries.filter((e) => !runs.includes(e)).sort()).toEqual(['latest']);
    expect(readlinkSync(path.join(observed.reportDir, 'latest'))).toMatch(new RegExp(`${runs[0]}$`));
  });
});
