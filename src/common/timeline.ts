import { runClock } from './clock.ts';
import type { EventSink, RolloutEvent, RolloutEventKind } from './rollout-event.ts';

export type Clock = () => number;

/** The run's one clock (sub-millisecond, monotonic within the process). */
export const defaultClock: Clock = runClock;

/**
 * A timeline: rollout events and phase markers in arrival order, stamped by one clock and fanned out to
 * listeners. Targets `emit` replica transitions into it; the journey `mark`s its phases. A throwing
 * listener never breaks the rollout it observes.
 */
export class Timeline {
  readonly events: RolloutEvent[] = [];
  private readonly listeners = new Set<EventSink>();

  constructor(readonly clock: Clock = defaultClock) {}

  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records an event; one that already carries `t` (a target's, on the same clock) keeps it. */
  add(event: Omit<RolloutEvent, 't'> & { t?: number }): void {
    const stamped: RolloutEvent = { ...event, t: event.t ?? this.clock() };
    this.events.push(stamped);
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        // A listener's bug must not stop the rollout it observes.
      }
    }
  }

  /** A target's transition of one replica (or, with an empty replica, of a whole Deployment). */
  emit(kind: RolloutEventKind, component: string, replica: string, version: string, detail?: Record<string, unknown>) {
    this.add({ kind, component, replica, version, ...(detail ? { detail } : {}) });
  }

  /** A phase marker of the journey (`upgrade-started`, `backup`, ...). */
  mark(kind: string, detail?: string): void {
    this.add({ kind, ...(detail ? { detail } : {}) });
  }

  between(from: number, to: number): RolloutEvent[] {
    return this.events.filter((e) => e.t >= from && e.t <= to);
  }
}
