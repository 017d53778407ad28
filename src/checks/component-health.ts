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
  /** per replica: when it went down (first unexpected exit or unready since it was last ready). */
  private readonly since = new Map<string, number>();

  constructor(private readonly startedAt: number) {}

  record(event: RolloutEvent): void {
    if (!event.replica || !tracked.has(event.kind)) return;
    this.last.set(event.replica, event);
    if (isDown(event)) {
      if (!this.since.has(event.replica)) this.since.set(event.replica, event.t);
    } else if (event.kind !== 'replica-created') {
      // ready again, or stopped on purpose (a rollout, teardown); a restart (created) keeps it down
      this.since.delete(event.replica);
    }
  }

  /**
   * Every replica down now: exited on its own (not stopped by a rollout or teardown), or not ready; the first to
   * go down first (the cause before its consequences: PostgreSQL killed, then the replicas that could not start
   * without it), whatever order the replicas were first heard of in. A replica that keeps exiting (restarted,
   * exiting again) is down since its first exit, and said so.
   */
  down(): string[] {
    const at = (t: number) => `+${((t - this.startedAt) / 1000).toFixed(1)} s`;
    const found: { t: number; text: string }[] = [];
    for (const e of this.last.values()) {
      if (!isDown(e) || !e.replica) continue;
      const detail = (typeof e.detail === 'object' ? e.detail : {}) as Record<string, unknown>;
      const name = displayName[e.component ?? ''] ?? e.replica;
      const since = this.since.get(e.replica) ?? e.t;
      if (e.kind === 'replica-exited') {
        const how = detail.signal ? String(detail.signal) : `exit code ${String(detail.code)}`;
        const first = since < e.t ? ` (down since ${at(since)})` : '';
        found.push({ t: since, text: `${name} exited at ${at(e.t)} (${how})${first}` });
      } else {
        found.push({ t: since, text: `${name} not ready since ${at(since)}` });
      }
    }
    return found.sort((a, b) => a.t - b.t).map((f) => f.text);
  }
}

function isDown(e: RolloutEvent): boolean {
  if (e.kind === 'replica-unready') return true;
  if (e.kind !== 'replica-exited') return false;
  return Boolean((typeof e.detail === 'object' && e.detail ? (e.detail as Record<string, unknown>) : {}).unexpected);
}
