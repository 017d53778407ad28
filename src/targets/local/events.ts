import { runClock } from '../../report/clock.ts';

/**
 * The rollout timeline of the local target: every replica and endpoint transition, stamped by the clock
 * the caller passes in (the ledger's clock, so that requests and rollout events share one time axis).
 */
export const rolloutEventKinds = [
  'rollout-started',
  'replica-created',
  'replica-ready',
  'replica-unready',
  'endpoint-added',
  'endpoint-removed',
  'sigterm',
  'sigkill',
  'replica-exited',
  'rollout-complete',
] as const;
export type RolloutEventKind = (typeof rolloutEventKinds)[number];

export interface RolloutEvent {
  /** Milliseconds on the caller's clock. */
  t: number;
  kind: RolloutEventKind;
  /** Release component name (`gateway`, `control-plane`, ...) or `provider-mock`. */
  component: string;
  /** Replica id (REPLICA_ID); empty for Deployment-level events (`rollout-started`, `rollout-complete`). */
  replica: string;
  /** Version the replica (or, for rollout events, the target release) runs. */
  version: string;
  /** Extra facts: exit code and signal of `replica-exited`, `restarts`, the rollout's `from`. */
  detail?: Record<string, unknown>;
}

export type Clock = () => number;
export type EventSink = (event: RolloutEvent) => void;

/** Wall-clock milliseconds with sub-millisecond resolution (monotonic within one process). */
export const defaultClock: Clock = runClock;

/** Stamps and fans out events; a throwing listener never breaks a rollout. */
export class Timeline {
  private readonly listeners = new Set<EventSink>();
  constructor(readonly clock: Clock = defaultClock) {}

  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(kind: RolloutEventKind, component: string, replica: string, version: string, detail?: Record<string, unknown>) {
    const event: RolloutEvent = { t: this.clock(), kind, component, replica, version, ...(detail ? { detail } : {}) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not stop the rollout it observes.
      }
    }
  }
}
