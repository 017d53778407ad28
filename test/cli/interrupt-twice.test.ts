/**
 * A second Ctrl-C (issue 11 item 5): when stopping takes long (here PostgreSQL is frozen with SIGSTOP, so its
 * shutdown cannot finish), a second Ctrl-C more than 2 s after the first forces the exit (130) and says what may
 * be left of the run (the frozen PostgreSQL, the run's temp dir) and how to remove it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesUnder } from '../../src/cli/force-exit.ts';
import { eventually } from '../targets/local/process-tree.ts';
import { cliEnv, repoRoot } from './support/run-cli.ts';

const installDeadlineMs = 180_000;
const exitDeadlineMs = 30_000;

let tmp: string;
let childTmp: string;
let pgid: number | undefined;
let frozen: number | undefined;
let observed: { code: number | null; afterSecondMs: number; stderr: string };

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-interrupt-twice-test-'));
    childTmp = path.join(tmp, 'tmp');
    const reportDir = path.join(tmp, 'reports');
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
    pgid = child.pid;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const log = () => {
      const runs = existsSync(reportDir) ? readdirSync(reportDir).filter((d) => /^\d{8}T/.test(d)) : [];
      const file = runs[0] ? path.join(reportDir, runs[0], 'upcert.log') : '';
      return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    if (!(await eventually(() => /installed v1\.7\.0/.test(log()), installDeadlineMs)))
      throw new Error(`release N never installed; log:\n${log().slice(-3000)}`);
    frozen = processesUnder(childTmp).find((p) => /\/postgres .*-D /.test(p.command))?.pid;
    if (!frozen) throw new Error('no PostgreSQL among the run processes');
    process.kill(frozen, 'SIGSTOP');
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => setTimeout(r, 2500));
    if (child.exitCode !== null) throw new Error(`exited before the second Ctrl-C (${child.exitCode}):\n${stderr}`);
    const second = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), exitDeadlineMs))]);
    observed = { code, afterSecondMs: Date.now() - second, stderr };
    process.stdout.write(`second Ctrl-C to exit: ${observed.afterSecondMs} ms\n`);
  },
  installDeadlineMs + exitDeadlineMs + 30_000,
);

afterAll(async () => {
  if (frozen) {
    try {
      process.kill(frozen, 'SIGKILL');
    } catch {}
  }
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

describe('a second Ctrl-C while stopping hangs', () => {
  it('forces the exit (130)', () => {
    expect(observed.code, observed.stderr.slice(-3000)).toBe(130);
  });

  it('says what may be left and how to remove it', () => {
    const line = observed.stderr.split('\n').find((l) => l.includes('forced exit: may be left:'));
    expect(line, observed.stderr.slice(-3000)).toBeDefined();
    expect(line).toContain(`${frozen} `);
    expect(line).toMatch(/to remove: kill -9 .*rm -rf /);
  });
});
