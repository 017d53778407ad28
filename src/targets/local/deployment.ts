import path from 'node:path';
import { StepFailedError } from '../../common/errors.ts';
import type { Timeline } from '../../common/timeline.ts';
import type { ProcessLaunch } from './container-process.ts';
import type { FrontDoor } from './front-door.ts';
import { Replica } from './replica.ts';
import type { WorkloadName, WorkloadSettings } from './workload-settings.ts';

/** A pod template: what one rollout of a Deployment runs (a restart makes a new revision of the same version). */
export interface Revision {
  number: number;
  version: string;
  /** Absolute path of the bundle (already checked against the release's sha256). */
  bundle: string;
  /** A component its platform's profile starts by a command (src/platform/profile.ts), not `node <bundle>`. */
  launch?: ProcessLaunch;
  settings: WorkloadSettings;
}

export interface DeploymentSpec {
  name: WorkloadName;
  door: FrontDoor;
  timeline: Timeline;
  /** Endpoint removal lands this long after a replica stops being ready or starts terminating. */
  endpointPropagationMs: number;
  configFile: string;
  secretsFile: string;
  logsDir: string;
}

/**
 * The replicas of one component and its Service's endpoints. Readiness adds a replica to the front door
 * at once; losing readiness or terminating removes it `endpointPropagationMs` later (the race between
 * endpoint removal and SIGTERM that Kubernetes has).
 */
export class Deployment {
  readonly replicas = new Map<Replica, Revision>();
  private readonly removals = new Map<string, { timer: NodeJS.Timeout; promise: Promise<void>; done: () => void }>();
  private readonly waiters = new Set<() => void>();
  private serial = 0;
  /** Set by `stop()`: no replica is created any more and running rollouts abort. */
  stopped = false;

  constructor(readonly spec: DeploymentSpec) {}

  get name(): WorkloadName {
    return this.spec.name;
  }

  /** Live replicas of a revision (or of every other revision with `other`), terminating ones excluded. */
  live(revision: number, other = false): Replica[] {
    return [...this.replicas].flatMap(([r, rev]) =>
      r.state.phase !== 'terminating' && r.state.phase !== 'exited' && (rev.number === revision) !== other ? [r] : [],
    );
  }

  create(revision: Revision): Replica {
    if (this.stopped) throw new StepFailedError(`rollout: ${this.name} is being stopped`);
    this.serial++;
    const replica = Replica.start({
      component: this.spec.name,
      version: revision.version,
      id: `${this.spec.name}-${revision.version}-${this.serial}`,
      bundle: revision.bundle,
      launch: revision.launch,
      configFile: this.spec.configFile,
      secretsFile: this.spec.secretsFile,
      logFile: path.join(this.spec.logsDir, `${this.spec.name}-${revision.version}-${this.serial}.log`),
      settings: revision.settings,
      timeline: this.spec.timeline,
      onReadiness: (r, ready) => (ready ? this.addEndpoint(r) : void this.scheduleRemoval(r)),
    });
    this.replicas.set(replica, revision);
    replica.watch(() => this.notify());
    void replica.finished.then(() => {
      this.replicas.delete(replica);
      this.notify();
    });
    return replica;
  }

  /**
   * Starts terminating a replica; its endpoint goes `endpointPropagationMs` later. Resolves when it has
   * exited and its endpoint is gone.
   */
  async terminate(replica: Replica): Promise<void> {
    const exited = replica.terminate();
    const removed = this.scheduleRemoval(replica);
    await Promise.all([exited, removed]);
  }

  private addEndpoint(replica: Replica): void {
    const pending = this.removals.get(replica.id);
    if (pending) {
      clearTimeout(pending.timer);
      pending.done();
    }
    this.removals.delete(replica.id);
    const port = replica.port;
    if (port === undefined) return;
    const existing = this.spec.door.endpoints().find((e) => e.replica === replica.id);
    if (existing?.port === port) return;
    this.spec.door.remove(replica.id);
    this.spec.door.add({ replica: replica.id, port });
    this.spec.timeline.emit('endpoint-added', this.name, replica.id, replica.version, { port });
  }

  /** Removes the replica's endpoint after the propagation delay; resolves once it is gone. */
  private scheduleRemoval(replica: Replica): Promise<void> {
    const pending = this.removals.get(replica.id);
    if (pending) return pending.promise;
    if (!this.spec.door.endpoints().some((e) => e.replica === replica.id)) return Promise.resolve();
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      done = resolve;
    });
    const remove = () => {
      this.removals.delete(replica.id);
      if (this.spec.door.remove(replica.id)) {
        this.spec.timeline.emit('endpoint-removed', this.name, replica.id, replica.version);
      }
      done();
      this.notify();
    };
    const timer = setTimeout(remove, Math.max(0, this.spec.endpointPropagationMs));
    this.removals.set(replica.id, { timer, promise, done });
    return promise;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Waits for any replica or endpoint change, at most `ms`. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  /** Terminates every replica at once (endpoints go at once: the Service is being deleted too). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.notify();
    for (const e of this.spec.door.endpoints()) this.spec.door.remove(e.replica);
    for (const pending of this.removals.values()) {
      clearTimeout(pending.timer);
      pending.done();
    }
    this.removals.clear();
    await Promise.allSettled([...this.replicas.keys()].map((r) => r.terminate()));
  }
}
