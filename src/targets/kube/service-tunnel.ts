import type { Logger } from '../../common/logger.ts';
import { FrontDoor } from '../local/front-door.ts';
import { PortForward } from './port-forward.ts';

/** Which pod tunnels to open and which backends to drop, given the pods a Service's EndpointSlices call ready. */
export function tunnelPlan(open: ReadonlySet<string>, ready: ReadonlySet<string>): { add: string[]; remove: string[] } {
  return { add: [...ready].filter((p) => !open.has(p)), remove: [...open].filter((p) => !ready.has(p)) };
}

export interface ServiceTunnelOptions {
  service: string;
  remotePort: number;
  namespace: string;
  context?: string;
  timeoutMs: number;
  log: Logger;
  /** Whether the pod still backs the Service (its EndpointSlice calls it ready). */
  stillReady?: (pod: string) => boolean;
  /** A tunnel that ends while its pod is still ready: the harness lost its way in (kubernetes/kubectl#1169). */
  onLost?: (reason: string) => void;
}

/**
 * A Service reached from the host on 127.0.0.1 without exposing anything on the cluster: the harness's
 * L4 front door (the local target's) balances connections over one `kubectl port-forward` per ready pod,
 * following the Service's EndpointSlices as kube-proxy does. A pod leaving the endpoints stops receiving
 * new connections at once; its tunnel stays open for the connections it holds until the pod is gone.
 */
export class ServiceTunnel implements AsyncDisposable {
  private readonly forwards = new Map<string, PortForward>();
  private readonly opening = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private closing = false;

  private constructor(
    private readonly door: FrontDoor,
    private readonly opts: ServiceTunnelOptions,
  ) {}

  static async open(opts: ServiceTunnelOptions): Promise<ServiceTunnel> {
    return new ServiceTunnel(await FrontDoor.open(opts.service), opts);
  }

  get url(): string {
    return this.door.url;
  }

  /** Called with the Service's ready pods on every EndpointSlice change; changes apply in order. */
  update(ready: ReadonlySet<string>): Promise<void> {
    this.queue = this.queue
      .then(() => this.apply(ready))
      .catch((error: unknown) => {
        this.opts.log.warn(`tunnel ${this.opts.service}: ${(error as Error).message}`);
      });
    return this.queue;
  }

  private async apply(ready: ReadonlySet<string>): Promise<void> {
    const inDoor = new Set(this.door.endpoints().map((e) => e.replica));
    const plan = tunnelPlan(inDoor, ready);
    for (const pod of plan.remove) this.door.remove(pod);
    await Promise.all(plan.add.map((pod) => this.addPod(pod)));
  }

  private async addPod(pod: string): Promise<void> {
    if (this.opening.has(pod)) return;
    this.opening.add(pod);
    try {
      let forward = this.forwards.get(pod);
      if (!forward) {
        forward = await PortForward.open({ ...this.opts, resource: `pod/${pod}` });
        this.forwards.set(pod, forward);
        void forward.closed.then(() => {
          this.door.remove(pod);
          this.forwards.delete(pod);
          if (!this.closing && this.opts.stillReady?.(pod)) {
            this.opts.onLost?.(`port-forward to pod/${pod} (${this.opts.service}) ended while the pod was still ready`);
          }
        });
      }
      this.door.add({ replica: pod, port: forward.port });
    } finally {
      this.opening.delete(pod);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.door.close();
    await Promise.all([...this.forwards.values()].map((f) => f.close()));
    this.forwards.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
