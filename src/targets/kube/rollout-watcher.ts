import {
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  makeInformer,
  type V1EndpointSlice,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import type { Logger } from '../../common/logger.ts';
import type { RolloutEvent } from '../../common/rollout-event.ts';
import type { Clock } from '../../common/timeline.ts';
import type { TimelineSink } from '../target.ts';
import { readyPodsOf } from './endpoints.ts';
import { type EventDraft, endpointSliceEvents, jobEvents, podEvents } from './rollout-events.ts';

type Diff<T> = (prev: T | undefined, next: T | undefined) => EventDraft[];

/**
 * Watches one namespace with informers (pods, EndpointSlices, Jobs) and turns every change into timeline
 * events (rollout-events.ts) stamped with the run's clock. Keeps the last state of each object, which is
 * also what `pods()` and `readyPods()` answer from.
 */
export class RolloutWatcher implements AsyncDisposable {
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly sinks = new Set<TimelineSink>();
  private readonly podsByName = new Map<string, V1Pod>();
  private readonly slicesByName = new Map<string, V1EndpointSlice>();
  private readonly sliceListeners = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  subscribe(sink: TimelineSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Called after every EndpointSlice change (the service tunnels follow it). */
  onEndpoints(listener: () => void): () => void {
    this.sliceListeners.add(listener);
    return () => this.sliceListeners.delete(listener);
  }

  pods(): V1Pod[] {
    return [...this.podsByName.values()];
  }

  readyPods(service: string): Set<string> {
    return readyPodsOf(this.slicesByName.values(), service);
  }

  private emit(drafts: EventDraft[]): void {
    for (const { delayMs, ...d } of drafts) {
      const event: RolloutEvent = { t: this.clock() + (delayMs ?? 0), ...d };
      for (const sink of this.sinks) {
        try {
          sink(event);
        } catch {
          // a sink's bug must not stop the watch
        }
      }
    }
  }

  private watch<T extends KubernetesObject>(
    path: string,
    list: () => Promise<{ items: T[] }>,
    diff: Diff<T>,
    store = new Map<string, T>(),
    after?: () => void,
  ): Informer<T> {
    const informer = makeInformer<T>(this.kc, path, list as never);
    const key = (o: T) => o.metadata?.name ?? '';
    const change = (next: T | undefined, gone?: T) => {
      const name = key((next ?? gone) as T);
      const prev = store.get(name);
      if (next) store.set(name, next);
      else store.delete(name);
      this.emit(diff(prev, next));
      after?.();
    };
    informer.on('add', (o) => change(o));
    informer.on('update', (o) => change(o));
    informer.on('delete', (o) => change(undefined, o));
    informer.on('error', (err: unknown) => {
      this.log.warn(`watch ${path}: ${(err as Error)?.message ?? err}; restarting in 1 s`);
      if (this.stopped) return;
      setTimeout(() => {
        if (!this.stopped) void informer.start().catch(() => undefined);
      }, 1000).unref();
    });
    this.informers.push(informer as unknown as Informer<KubernetesObject>);
    return informer;
  }

  /** Lists and starts watching; resolves once each informer has its initial list. */
  async start(): Promise<void> {
    const ns = this.namespace;
    const core = this.kc.makeApiClient(CoreV1Api);
    const discovery = this.kc.makeApiClient(DiscoveryV1Api);
    const batch = this.kc.makeApiClient(BatchV1Api);
    const notify = () => {
      for (const l of this.sliceListeners) l();
    };
    const informers = [
      this.watch<V1Pod>(
        `/api/v1/namespaces/${ns}/pods`,
        () => core.listNamespacedPod({ namespace: ns }),
        podEvents,
        this.podsByName,
      ),
      this.watch<V1EndpointSlice>(
        `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
        () => discovery.listNamespacedEndpointSlice({ namespace: ns }),
        endpointSliceEvents,
        this.slicesByName,
        notify,
      ),
      this.watch<V1Job>(
        `/apis/batch/v1/namespaces/${ns}/jobs`,
        () => batch.listNamespacedJob({ namespace: ns }),
        jobEvents,
      ),
    ];
    await Promise.all(informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.informers.map((i) => i.stop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
