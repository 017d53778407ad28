import { execFileSync } from 'node:child_process';
import { createLogger } from '../common/logger.ts';

const log = createLogger('suites');

/** Pids of this process's children (the suite's vitest worker). */
export function childPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // no children, or pgrep missing: a terminal's Ctrl-C reaches the whole process group anyway
  }
}

/** Sends a signal to this process's children (the worker, whose cleanup writes the report and stops the platform). */
export function signalChildren(signal: NodeJS.Signals): number[] {
  const pids = childPids();
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits, bounded, for processes to exit; kills what is left at the deadline, saying so. */
export async function waitForExit(pids: number[], deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) {
    log.warn(`process ${pid} still running after ${deadlineMs} ms: killing it`);
    process.kill(pid, 'SIGKILL');
  }
}
