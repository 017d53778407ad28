import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { accepts, alive, descendants, eventually } from './process-tree.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

let cli: ChildProcess | undefined;
let tmp: string | undefined;
afterEach(async () => {
  // On a failed assertion: leave nothing behind either.
  if (cli?.pid && alive(cli.pid)) {
    for (const pid of [...descendants(cli.pid), cli.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  cli = undefined;
  if (tmp) await rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

function upcert(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.join(root, 'bin/upcert.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('upcert platform up', () => {
  it('refuses an unknown version with exit 2, listing the known ones', async () => {
    const run = upcert(['platform', 'up', '--version', 'v0.0.1'], {});
    cli = run.child;
    expect(await run.exited).toBe(2);
    expect(run.err()).toMatch(/unknown release: v0\.0\.1 \(known: .*v1\.7\.0.*\)/);
    expect(run.out()).toBe('');
  });

  it('prints one JSON line, serves, and on Ctrl-C stops everything: no process, port or temp dir left', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-up-test-'));
    await chmod(tmp, 0o755); // as root, PostgreSQL runs as the postgres user, which must reach it
    const run = upcert(['platform', 'up', '--version', 'v1.7.0', '--artifact-check', 'off'], { TMPDIR: tmp });
    cli = run.child;
    const up = await eventually(() => run.out().includes('\n') || run.child.exitCode !== null, 150_000);
    expect(up, `no JSON line; stderr:\n${run.err()}`).toBe(true);
    expect(run.child.exitCode, run.err()).toBeNull();
    const line = JSON.parse(run.out().split('\n')[0]!) as Record<string, string>;
    expect(Object.keys(line).sort()).toEqual([
      'adminToken',
      'console',
      'controlPlane',
      'gateway',
      'identity',
      'version',
    ]);
    expect(line.version).toBe('v1.7.0');
    for (const key of ['gateway', 'controlPlane', 'console', 'identity']) {
      expect(line[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(run.err()).not.toContain(line.adminToken); // the logs redact it

    const health = await fetch(`${line.gateway}/healthz`);
    expect(health.status).toBe(200);
    const orgs = await fetch(`${line.controlPlane}/api/v1/organizations`, {
      headers: { authorization: `Bearer ${line.adminToken}` },
    });
    expect(orgs.status).toBe(200);

    const pids = descendants(run.child.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(6); // 4 components, provider-mock, PostgreSQL (and its backends)
    expect((await readdir(tmp)).filter((n) => n.startsWith('upcert-')).length).toBeGreaterThan(0);
    const ports = ['gateway', 'controlPlane', 'console', 'identity'].map((k) => Number(new URL(line[k]!).port));

    run.child.kill('SIGINT');
    const code = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    expect(code, run.err().slice(-2000)).toBe(130);
    expect(await eventually(() => pids.every((p) => !alive(p)), 10_000), `left alive: ${pids.filter(alive)}`).toBe(
      true,
    );
    for (const port of ports) expect(await accepts(port)).toBe(false);
    expect((await readdir(tmp)).filter((n) => n.startsWith('upcert-'))).toEqual([]);
  }, 240_000);
});
