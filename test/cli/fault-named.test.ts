/**
 * Faults named (issue 11 item 9), through the real `upcert certify`: PostgreSQL is killed (SIGKILL) while the
 * upgrade runs under load. The checks that can no longer gather their evidence say that PostgreSQL exited, when
 * (seconds since the run started) and how, and the timeline records the exit; not only `ECONNREFUSED`.
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

const upgradeDeadlineMs = 240_000;
const exitDeadlineMs = 300_000;

let tmp: string;
let childTmp: string;
let reportDir: string;
let pgid: number | undefined;
let observed: { code: number | null; runDir: string; output: string };

beforeAll(
  async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-fault-test-'));
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
    pgid = child.pid;
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
    if (!(await eventually(() => /upgrading v1\.7\.0 → v1\.8\.0 under load/.test(output()), upgradeDeadlineMs)))
      throw new Error(`the upgrade never started; output:\n${output().slice(-3000)}`);
    const postgres = processesUnder(childTmp).find((p) => /\/postgres .*-D /.test(p.command));
    if (!postgres) throw new Error('no PostgreSQL among the run processes');
    process.kill(postgres.pid, 'SIGKILL');
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), exitDeadlineMs))]);
    observed = { code, runDir: runDir(), output: output() };
  },
  upgradeDeadlineMs + exitDeadlineMs + 30_000,
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

describe('PostgreSQL killed during the upgrade', () => {
  it('fails the run (exit 1)', () => {
    expect(observed.code, observed.output.slice(-3000)).toBe(1);
  });

  it('checks that could not gather evidence name PostgreSQL, when it exited and how', () => {
    const certificate = certificateSchema.parse(
      JSON.parse(readFileSync(path.join(observed.runDir, 'certificate.json'), 'utf8')),
    );
    const named = certificate.checks.filter((c) => /PostgreSQL exited at \+\d+\.\d s \(SIGKILL\)/.test(c.summary));
    expect(
      named.length,
      certificate.checks.map((c) => `${c.id} (${c.phase}): ${c.summary}`).join('\n'),
    ).toBeGreaterThan(0);
  });

  it('the timeline records the exit', () => {
    const timeline = JSON.parse(readFileSync(path.join(observed.runDir, 'timeline.json'), 'utf8')) as {
      events: { kind: string; component?: string; detail?: { signal?: string } }[];
    };
    expect(
      timeline.events.some(
        (e) => e.kind === 'replica-exited' && e.component === 'postgresql' && e.detail?.signal === 'SIGKILL',
      ),
    ).toBe(true);
  });
});
