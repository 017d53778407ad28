/** A rollout event on the ledger's clock (epoch ms): what the target did, and when. */
export interface TimelineEvent {
  t: number;
  kind: string;
  component?: string;
  replica?: string;
  version?: string;
  detail?: string | Record<string, unknown>;
}

/** The run's timeline: rollout events and phase markers, in arrival order, on one clock. */
export class Timeline {
  readonly events: TimelineEvent[] = [];

  constructor(readonly clock: () => number) {}

  add(event: Omit<TimelineEvent, 't'> & { t?: number }): void {
    this.events.push({ ...event, t: event.t ?? this.clock() });
  }

  mark(kind: string, detail?: string): void {
    this.add({ kind, ...(detail ? { detail } : {}) });
  }

  between(from: number, to: number): TimelineEvent[] {
    return this.events.filter((e) => e.t >= from && e.t <= to);
  }
}
