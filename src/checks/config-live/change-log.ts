import type { ConfigLiveContext } from './context.ts';
import type { ChangeOutcome } from './judge.ts';
import { type ProbeAnswer, type ProbeRequest, untilEveryReplica } from './replica-probe.ts';

/** config-live's changes in the order they were made: each one made through the API, then verified on every replica. */
export class ChangeLog {
  readonly changes: ChangeOutcome[] = [];

  constructor(private readonly ctx: ConfigLiveContext) {}

  /** Makes a change (an API call); records when it returned, or why it failed. */
  async make(change: string, when: ChangeOutcome['when'], action: () => Promise<void>): Promise<ChangeOutcome> {
    const outcome: ChangeOutcome = { change, when, appliedAt: null, replicas: [], strangers: [] };
    this.changes.push(outcome);
    try {
      await action();
      outcome.appliedAt = this.ctx.clock();
      this.ctx.mark('config-live', `${change} (${when})`);
    } catch (error) {
      outcome.error = (error as Error).message;
    }
    return outcome;
  }

  /**
   * Probes until every replica enforces a change (bounded): a change after the rollout is timed from when it
   * was made, one made earlier from now (it must hold at the end). Returns the probes nobody answered.
   */
  async verify(o: ChangeOutcome, replicas: string[], probe: ProbeRequest, enforced: (a: ProbeAnswer) => boolean) {
    if (o.appliedAt === null) return 0;
    const seen = await untilEveryReplica({
      gateway: this.ctx.gateway,
      replicas,
      probe,
      enforced,
      since: o.when === 'after the rollout' ? o.appliedAt : Math.max(o.appliedAt, this.ctx.clock()),
      boundMs: this.ctx.boundMs,
      clock: this.ctx.clock,
    });
    o.replicas = seen.outcomes;
    o.strangers = seen.strangers;
    return seen.unanswered;
  }
}
