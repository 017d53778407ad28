import { type ChildProcess, spawn } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { trackChild } from '../../common/child-registry.ts';
import { niceLauncher } from './cpu-weight.ts';

/**
 * How a replica of a component that is not a bundle of this repository starts (a platform installed from
 * packages, src/platform/profile.ts): its command, in which `{port}` is the loopback port the harness chose
 * (such a product says nothing of its port), its environment, and its readiness probe's path.
 */
export interface ProcessLaunch {
  command: readonly string[];
  env: Readonly<Record<string, string>>;
  readinessPath: string;
}

export interface ContainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One run of a component's bundle (`node <bundle>`; a container in Kubernetes terms): its output goes
 * to the replica's log, and its port is learned from the `{"msg":"listening","port":N}` log line.
 */
export class ContainerProcess {
  readonly exited: Promise<ContainerExit>;
  private portKnown: ((port: number) => void) | undefined;
  readonly listening: Promise<number>;
  private pending = '';
  port: number | undefined;

  private constructor(
    readonly child: ChildProcess,
    log: WriteStream,
  ) {
    this.listening = new Promise((resolve) => {
      this.portKnown = resolve;
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (this.port === undefined) this.scan(chunk.toString('utf8'));
    });
  }

  /** Starts `node <bundle>`, `nice` steps below upcert's own CPU priority (cpu-weight.ts). */
  static spawn(bundle: string, env: NodeJS.ProcessEnv, log: WriteStream, nice = 0): ContainerProcess {
    const [file = process.execPath, ...args] = [...niceLauncher(nice), process.execPath, bundle];
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    trackChild(child, 'SIGKILL');
    return new ContainerProcess(child, log);
  }

  /**
   * Starts a launch's command on `port` (its `{port}` filled in), `nice` steps below upcert's priority. The port
   * is known from the start; whether the process serves on it is the readiness probe's to say.
   */
  static spawnLaunch(launch: ProcessLaunch, port: number, env: NodeJS.ProcessEnv, log: WriteStream, nice = 0) {
    const argv = launch.command.map((a) => a.replaceAll('{port}', String(port)));
    const withPort = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v?.replaceAll('{port}', String(port))]),
    );
    const [file = process.execPath, ...args] = [...niceLauncher(nice), ...argv];
    const child = spawn(file, args, { env: withPort, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    trackChild(child, 'SIGKILL');
    const container = new ContainerProcess(child, log);
    container.port = port;
    container.portKnown?.(port);
    return container;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  private scan(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    if (this.pending.length > 64 * 1024) this.pending = '';
    for (const line of lines) {
      if (!line.includes('"listening"')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
        if (entry.msg === 'listening' && typeof entry.port === 'number' && entry.port > 0) {
          this.port = entry.port;
          this.portKnown?.(entry.port);
          return;
        }
      } catch {
        // not a JSON log line
      }
    }
  }
}
