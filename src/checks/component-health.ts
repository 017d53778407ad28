import type { RolloutEvent } from '../common/rollout-event.ts';

const displayName: Record<string, string> = { postgresql: 'PostgreSQL' };
const tracked = new Set(['replica-created', 'replica-ready', 'replica-unready', 'replica-exited']);

/**
 * The health of every replica (and PostgreSQL) over the whole run, from the target's events: what is down now,
 * and since when. A check that cannot gather its evidence names it ("PostgreSQL exited at +31.2 s (SIGKILL)")
 * instead of leaving a bare `ECONNREFUSED`.
 */
export class ComponentHealth {
  private readonly last = new Map<string, RolloutEvent>();

  constructor(private readonly startedAt: number) {}

  record(event: RolloutEvent): void {
    if (event.replica && tracked.has(event.kind)) this.last.set(event.replica, event);
  }

  /**
   * Every replica down now: exited on its own (not stopped by a rollout or teardown), or not ready; the first to
   * go down first (the cause before its consequences: PostgreSQL killed, then the replicas that could not start
   * without it), whatever order the replicas were first heard of in.
   */
  down(): string[] {
    const at = (t: number) => `+${((t - this.startedAt) / 1000).toFixed(1)} s`;
    const found: { t: number; text: string }[] = [];
    for (const e of this.last.values()) {
      const detail = (typeof e.detail === 'object' ? e.detail : {}) as Record<string, unknown>;
      const name = displayName[e.component ?? ''] ?? e.replica;
      if (e.kind === 'replica-exited' && detail.unexpected) {
        const how = detail.signal ? String(detail.signal) : `exit code ${String(detail.code)}`;
        found.push({ t: e.t, text: `${name} exited at ${at(e.t)} (${how})` });
      } else if (e.kind === 'replica-unready') {
        found.push({ t: e.t, text: `${name} not ready since ${at(e.t)}` });
      }
    }
    return found.sort((a, b) => a.t - b.t).map((f) => f.text);
  }
}
