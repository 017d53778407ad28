import { createWriteStream, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StepFailedError } from '../../common/errors.ts';
import { freeLoopbackPort } from '../../common/free-port.ts';
import type { Timeline } from '../../common/timeline.ts';
import { type ContainerExit, ContainerProcess, type ProcessLaunch } from './container-process.ts';
import { lowerPriority } from './cpu-weight.ts';
import { logTail } from './log-tail.ts';
import { runPreStop } from './pre-stop.ts';
import { ReadinessProbe } from './readiness-probe.ts';
import type { WorkloadName, WorkloadSettings } from './workload-settings.ts';

/** Lifecycle of a replica (a pod): each state is its own type. */
export type ReplicaState =
  | { phase: 'starting'; since: number; lastExit?: ContainerExit }
  | { phase: 'ready'; since: number; port: number }
  | { phase: 'unready'; since: number; port: number }
  | { phase: 'terminating'; since: number }
  | { phase: 'exited'; since: number; exit: ContainerExit };

export interface ReplicaSpec {
  component: WorkloadName;
  version: string;
  /** REPLICA_ID, e.g. `gateway-v1.8.0-3`. */
  id: string;
  bundle: string;
  /** A component started by a command of its platform's profile rather than as `node <bundle>`. */
  launch?: ProcessLaunch;
  configFile: string;
  secretsFile: string;
  logFile: string;
  settings: WorkloadSettings;
  timeline: Timeline;
  /** Called when readiness changes (ready: add to the endpoints; not ready: remove). */
  onReadiness: (replica: Replica, ready: boolean) => void;
}

const maxBackoffMs = 10_000;

/**
 * One replica: runs the bundle with the process contract's environment, probes `/readyz` as the chart
 * says, restarts a crashed process with back-off (restartPolicy Always), and terminates like the kubelet:
 * preStop, SIGTERM, then SIGKILL when the termination grace period runs out.
 */
export class Replica {
  state: ReplicaState;
  restarts = 0;
  private container: ContainerProcess | undefined;
  private probe: ReadinessProbe | undefined;
  private readonly log: WriteStream;
  private readonly watchers = new Set<() => void>();
  private finishedResolve!: (exit: ContainerExit) => void;
  /** Resolves once the replica has terminated and its process is gone. */
  readonly finished: Promise<ContainerExit>;
  private terminating: Promise<ContainerExit> | undefined;

  private constructor(readonly spec: ReplicaSpec) {
    this.state = { phase: 'starting', since: spec.timeline.clock() };
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
    this.finished = new Promise((resolve) => {
      this.finishedResolve = resolve;
    });
  }

  static start(spec: ReplicaSpec): Replica {
    const replica = new Replica(spec);
    spec.timeline.emit('replica-created', spec.component, spec.id, spec.version);
    replica.runContainer();
    return replica;
  }

  get id(): string {
    return this.spec.id;
  }
  get version(): string {
    return this.spec.version;
  }
  get port(): number | undefined {
    return this.container?.port;
  }
  get pid(): number | undefined {
    return this.container?.running ? this.container.pid : undefined;
  }
  get ready(): boolean {
    return this.state.phase === 'ready';
  }

  private env(): NodeJS.ProcessEnv {
    const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'] as const;
    const base = {
      ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
      // jiti (node-pg-migrate creates one at import) keeps no file cache in the checkout's node_modules: an
      // entry added there makes npm's hidden lockfile stale (every later `npx upcert` walks the whole tree)
      JITI_FS_CACHE: 'false',
    };
    if (this.spec.launch) return { ...base, ...this.spec.launch.env };
    return {
      ...base,
      PLATFORM_CONFIG: this.spec.configFile,
      PLATFORM_SECRETS: this.spec.secretsFile,
      PORT: '0',
      HOST: '127.0.0.1',
      REPLICA_ID: this.spec.id,
    };
  }

  private setState(next: ReplicaState): void {
    this.state = next;
    for (const w of [...this.watchers]) w();
  }

  private emit(kind: Parameters<Timeline['emit']>[0], detail?: Record<string, unknown>): void {
    this.spec.timeline.emit(kind, this.spec.component, this.spec.id, this.spec.version, detail);
  }

  private runContainer(): void {
    const { launch } = this.spec;
    if (launch) {
      // the product takes its port on the command line: a free loopback port, chosen afresh for every start
      freeLoopbackPort().then(
        (port) => {
          if (!this.terminating)
            this.attach(ContainerProcess.spawnLaunch(launch, port, this.env(), this.log, this.spec.settings.nice));
        },
        (error: unknown) => {
          // no port to give it (descriptors exhausted): a failed start, tried again after the back-off
          this.log.write(`upcert: no free port for ${this.spec.id}: ${(error as Error).message}\n`);
          this.container = undefined;
          void this.onContainerExit(undefined, { code: null, signal: null });
        },
      );
      return;
    }
    this.attach(ContainerProcess.spawn(this.spec.bundle, this.env(), this.log, this.spec.settings.nice));
  }

  private attach(container: ContainerProcess): void {
    this.container = container;
    lowerPriority(container.pid, this.spec.settings.nice, this.spec.id);
    const path = this.spec.launch?.readinessPath;
    void container.listening.then((port) => {
      if (this.container !== container || this.terminating) return;
      const onChange = (ready: boolean) => this.onProbe(port, ready);
      this.probe = new ReadinessProbe(port, this.spec.settings.readinessProbe, onChange, path);
      this.probe.start();
    });
    void container.exited.then((exit) => this.onContainerExit(container, exit));
  }

  private onProbe(port: number, ready: boolean): void {
    if (this.terminating) return;
    const now = this.spec.timeline.clock();
    this.setState(ready ? { phase: 'ready', since: now, port } : { phase: 'unready', since: now, port });
    this.emit(ready ? 'replica-ready' : 'replica-unready');
    this.spec.onReadiness(this, ready);
  }

  private async onContainerExit(container: ContainerProcess | undefined, exit: ContainerExit): Promise<void> {
    if (this.container !== container) return;
    this.probe?.stop();
    this.probe = undefined;
    if (this.terminating) return; // terminate() records the exit
    const wasReady = this.state.phase === 'ready';
    this.restarts++;
    this.emit('replica-exited', { code: exit.code, signal: exit.signal, restarts: this.restarts, unexpected: true });
    this.setState({ phase: 'starting', since: this.spec.timeline.clock(), lastExit: exit });
    if (wasReady) this.spec.onReadiness(this, false);
    await sleep(Math.min(maxBackoffMs, 1000 * 2 ** (this.restarts - 1)));
    if (!this.terminating) this.runContainer();
  }

  /** Waits until the replica is ready; StepFailedError naming it, its exits and its log tail at the deadline. */
  async whenReady(deadlineMs: number): Promise<void> {
    const started = Date.now();
    while (this.state.phase !== 'ready') {
      if (this.terminating) throw await this.notReadyError('was terminated before it became ready');
      const left = deadlineMs - (Date.now() - started);
      if (left <= 0) throw await this.notReadyError(`not ready within ${Math.round(deadlineMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.watchers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.watchers.add(done);
      });
    }
  }

  /** Calls `listener` on every state change; returns the function that stops it. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** A StepFailedError naming this replica, what went wrong, its restarts and its log tail. */
  async notReadyError(why: string): Promise<StepFailedError> {
    const last = this.state.phase === 'starting' ? this.state.lastExit : undefined;
    const facts = [
      this.container?.port === undefined ? 'never logged "listening"' : `listening on ${this.container.port}`,
      `restarts ${this.restarts}`,
      ...(last ? [`last exit code ${last.code ?? last.signal}`] : []),
    ].join(', ');
    const tail = await logTail(this.spec.logFile, 20);
    return new StepFailedError(
      `rollout: ${this.spec.component} replica ${this.spec.id} (${this.spec.version}) ${why} (${facts}); log tail:\n${tail}`,
    );
  }

  /** preStop, SIGTERM, wait for the grace period, SIGKILL; resolves with the process's exit. Idempotent. */
  terminate(): Promise<ContainerExit> {
    this.terminating ??= this.runTermination();
    return this.terminating;
  }

  private async runTermination(): Promise<ContainerExit> {
    const since = this.spec.timeline.clock();
    const graceMs = this.spec.settings.terminationGracePeriodSeconds * 1000;
    const deadline = Date.now() + graceMs;
    this.probe?.stop();
    this.setState({ phase: 'terminating', since });
    const container = this.container;
    let exit: ContainerExit = { code: null, signal: null };
    if (container?.running) {
      const hook = this.spec.settings.preStop;
      if (hook) await runPreStop(hook, { port: container.port, env: this.env(), deadlineMs: graceMs });
      if (container.running) {
        container.signal('SIGTERM');
        this.emit('sigterm');
      }
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        container.exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), Math.max(0, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
      if (late && container.running) {
        container.signal('SIGKILL');
        this.emit('sigkill');
      }
      exit = await container.exited;
    } else if (container) {
      exit = await container.exited;
    }
    this.emit('replica-exited', { code: exit.code, signal: exit.signal, restarts: this.restarts });
    this.setState({ phase: 'exited', since: this.spec.timeline.clock(), exit });
    await new Promise<void>((resolve) => this.log.end(resolve));
    this.finishedResolve(exit);
    return exit;
  }
}
