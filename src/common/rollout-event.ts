/**
 * One event on a run's timeline, on the run's clock (epoch ms, `clock.ts`): a target's rollout transition
 * (a kind below, with the component, replica and version it concerns) or a journey's phase marker
 * (`upgrade-started`, `step-done`, ... with a short text as detail). Every target emits the same kinds.
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
  /** Milliseconds on the run's clock. */
  t: number;
  /** A `RolloutEventKind` from a target, or a phase marker of the journey. */
  kind: string;
  /** Release component name (`gateway`, `control-plane`, ...) or `provider-mock`. */
  component?: string;
  /** Replica id (REPLICA_ID); empty for Deployment-level events (`rollout-started`, `rollout-complete`). */
  replica?: string;
  /** Version the replica (or, for rollout events, the target release) runs. */
  version?: string;
  /** Extra facts (exit code and signal of `replica-exited`, a rollout's `from`), or a marker's text. */
  detail?: string | Record<string, unknown>;
}

export type EventSink = (event: RolloutEvent) => void;
