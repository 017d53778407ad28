/**
 * Runs the real `upcert` command (`node bin/upcert.js …`) as a user would, and collects its exit code and
 * output. Every run has a deadline (SIGKILL to its process group after it) and nothing is left running.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  /** Variables added to this process's environment (`undefined` removes one). */
  env?: Record<string, string | undefined>;
  /** The checkout whose bin/upcert.js runs (default: this one). */
  root?: string;
  /** A command that wraps node (e.g. `unshare …`); node's path and the arguments follow it. */
  wrapper?: string[];
  deadlineMs?: number;
}

export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('UPCERT_')) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const root = opts.root ?? repoRoot;
  const command = [...(opts.wrapper ?? []), process.execPath, path.join(root, 'bin/upcert.js'), ...args];
  const started = Date.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: cliEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const deadlineMs = opts.deadlineMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      reject(new Error(`upcert ${args.join(' ')}: no exit within ${deadlineMs} ms; stderr:\n${stderr.slice(-3000)}`));
    }, deadlineMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
