import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createLogger } from './logger.ts';

/**
 * One process-wide cleanup for everything the local target starts: replicas, PostgreSQL and temp dirs.
 * On SIGINT/SIGTERM the registered graceful cleanups run one after the other in the order they were
 * registered (so a run's report is written before the platform it describes is torn down), bounded by a
 * deadline, then every tracked child still alive is killed and the process exits 130 (interrupted). A second
 * signal more than two seconds later kills at once (the first Ctrl-C of a terminal often arrives twice: to the
 * process group, and forwarded by the parent).
 * On `exit` (any other way out, even a crash) every tracked child is signalled and temp dirs removed,
 * synchronously, so that nothing outlives the harness.
 */
const log = createLogger('local:cleanup');
const signalDeadlineMs = 45_000;

/**
 * One registry per process, even when a module runner (vitest's) evaluates this module more than once: two
 * instances would each handle the signal, run their cleanups concurrently (the platform torn down while the
 * report is written) and one would call process.exit. The state lives on `globalThis` under a symbol.
 */
interface RegistryState {
  children: Map<ChildProcess, NodeJS.Signals>;
  dirs: Set<string>;
  cleanups: Set<() => Promise<void>>;
  installed: boolean;
  exitHooked: boolean;
  interrupted: boolean;
  interruptedAt: number;
  endProcess: boolean;
  /** the interrupt's cleanup is done (in a process that did not end with it): later signals are not ours. */
  cleanedUp: boolean;
  listener?: (signal: NodeJS.Signals) => void;
}
const key = Symbol.for('upcert.child-registry');
/** One registry per process, even when a module runner loads this file twice (the second copy finds the first). */
function processRegistry(): RegistryState {
  const slots = globalThis as Record<symbol, unknown>;
  const existing = slots[key] as RegistryState | undefined;
  if (existing) return existing;
  const created: RegistryState = {
    children: new Map(),
    dirs: new Set(),
    cleanups: new Set(),
    installed: false,
    exitHooked: false,
    interrupted: false,
    interruptedAt: 0,
    endProcess: true,
    cleanedUp: false,
  };
  slots[key] = created;
  return created;
}
const state = processRegistry();
const { children, dirs, cleanups } = state;

function killAll(): void {
  for (const [child, signal] of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function removeDirs(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function liveChildren(): number {
  return [...children.keys()].filter((c) => c.exitCode === null && c.signalCode === null).length;
}

function forceExit(): never {
  // process.exit throws inside a vitest worker; a signal to ourselves always ends the process
  if (state.endProcess) process.exit(130);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

/** Lets a signal do what it does by default (end the process), without us: nothing of ours is left to stop. */
function passThrough(signal: NodeJS.Signals): void {
  if (state.listener) {
    process.off('SIGINT', state.listener);
    process.off('SIGTERM', state.listener);
  }
  state.installed = false;
  process.kill(process.pid, signal);
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (state.cleanedUp) return passThrough(signal);
  if (state.interrupted) {
    if (Date.now() - state.interruptedAt < 2000) return;
    log.warn(`second ${signal}: killing everything now`);
    killAll();
    removeDirs();
    forceExit();
  }
  // nothing of ours is running (a run that already ended): the signal does what it does without us, silently
  if (cleanups.size === 0 && liveChildren() === 0 && dirs.size === 0) return passThrough(signal);
  state.interrupted = true;
  state.interruptedAt = Date.now();
  log.warn(`${signal}: stopping everything the local target started`);
  const all = (async () => {
    for (const cleanup of [...cleanups]) await cleanup().catch((error) => log.error(`cleanup failed: ${error}`));
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, signalDeadlineMs);
  });
  await Promise.race([all, deadline]);
  clearTimeout(timer);
  killAll();
  removeDirs();
  if (state.endProcess) process.exit(130);
  state.cleanedUp = true;
}

function install(): void {
  if (state.installed) return;
  state.installed = true;
  state.listener ??= (signal: NodeJS.Signals) => void onSignal(signal);
  process.on('SIGINT', state.listener);
  process.on('SIGTERM', state.listener);
  if (state.exitHooked) return;
  state.exitHooked = true;
  process.on('exit', () => {
    killAll();
    removeDirs();
  });
}

/**
 * Whether the interrupt ends the process once everything is cleaned up (default). A vitest worker says no:
 * there process.exit throws; the halted run ends on its own and its runner waits for it.
 */
export function endProcessOnInterrupt(end: boolean): void {
  state.endProcess = end;
}

/** Tracks a child until it exits; `exitSignal` is what it gets if the harness goes away first. */
export function trackChild(child: ChildProcess, exitSignal: NodeJS.Signals = 'SIGKILL'): void {
  install();
  children.set(child, exitSignal);
  child.once('exit', () => children.delete(child));
}

/** Removes `dir` when the harness exits, unless `release()` is called first (normal disposal). */
export function trackDir(dir: string): () => void {
  install();
  dirs.add(dir);
  return () => dirs.delete(dir);
}

/** A graceful cleanup to run on SIGINT/SIGTERM (e.g. disposing a platform); returns its unregister function. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Whether a SIGINT/SIGTERM is being handled (callers stop starting things). */
export function isInterrupted(): boolean {
  return state.interrupted;
}

/** Pids of every tracked child that is still running (tests check that nothing is left behind). */
export function trackedPids(): number[] {
  return [...children.keys()].flatMap((c) => (c.pid && c.exitCode === null && c.signalCode === null ? [c.pid] : []));
}
