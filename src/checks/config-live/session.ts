import { randomBytes } from 'node:crypto';
import type { Phase } from '../../release/manifest.ts';
import type { ConfigApi } from '../../seed/config-api.ts';
import type { Queryable } from '../../seed/database.ts';
import type { ChangeOutcome, ConfigLiveEvidence } from './judge.ts';
import { ProbeTenant } from './probe-tenant.ts';
import { type ProbeAnswer, type ProbeRequest, untilEveryReplica } from './replica-probe.ts';
import { usageSettled } from './usage-settled.ts';

export interface ConfigLiveContext {
  phase: Phase;
  api: ConfigApi;
  apiOptions: { url: string; adminToken: string };
  db: Queryable;
  /** the gateway's front door (its Service). */
  gateway: string;
  /** the ids of the ready gateway replicas, as the target lists them. */
  gatewayReplicas: () => Promise<string[]>;
  /** a seeded provider for config-live's own route. */
  providerId: string;
  clock: () => number;
  boundMs: number;
  settleMs: number;
  mark: (kind: string, detail: string) => void;
}

/** Thrown when the target cannot reach every replica through its gateway endpoint (check: not-supported). */
export class ReplicasUnreachable extends Error {}

const budget = 1_000_000_000_000;
const message = (error: unknown) => (error as Error).message;

/**
 * config-live's journey part (DESIGN.md): before the rollout a tenant of its own with a consumer and a route;
 * mid-rollout one change (a guardrail rule); after the rollout settled, four changes (a consumer and key
 * created, a route moved, a budget tightened, a key revoked), each probed through the gateway's front door
 * until every ready replica enforces it (bounded), then everything undone.
 */
export class ConfigLiveSession {
  readonly changes: ChangeOutcome[] = [];
  private readonly tenant: ProbeTenant;
  private readonly midWord = `mid${randomBytes(3).toString('hex')}`;
  private first: { keyId: string; key: string } | undefined;

  constructor(private readonly ctx: ConfigLiveContext) {
    this.tenant = new ProbeTenant(ctx.api, ctx.phase);
  }

  private async make(change: string, when: ChangeOutcome['when'], action: () => Promise<void>): Promise<ChangeOutcome> {
    const outcome: ChangeOutcome = { change, when, appliedAt: null, replicas: [], strangers: [] };
    this.changes.push(outcome);
    try {
      await action();
      outcome.appliedAt = this.ctx.clock();
      this.ctx.mark('config-live', `${change} (${when})`);
    } catch (error) {
      outcome.error = message(error);
    }
    return outcome;
  }

  /** Before the rollout: the tenant, its route (to upstream model `live-a`) and a first consumer. */
  async open(): Promise<void> {
    await this.make('create a consumer and key', 'before the rollout', async () => {
      await this.tenant.create(this.ctx.providerId, 'live-a');
      this.first = await this.tenant.addConsumer('first', budget);
    });
  }

  /** Mid-rollout: a guardrail rule on the tenant's project. */
  async midRollout(): Promise<void> {
    await this.make('add a guardrail rule', 'mid-rollout', () => this.tenant.addGuardrail(this.midWord));
  }

  private probe(key: string, prompt = 'config-live probe'): ProbeRequest {
    return { key, model: this.tenant.model, prompt };
  }

  private async verify(
    o: ChangeOutcome,
    replicas: string[],
    probe: ProbeRequest,
    enforced: (a: ProbeAnswer) => boolean,
  ) {
    if (o.appliedAt === null) return 0;
    const since = Math.max(o.appliedAt, this.ctx.clock());
    const seen = await untilEveryReplica({
      gateway: this.ctx.gateway,
      replicas,
      probe,
      enforced,
      since: o.when === 'after the rollout' ? o.appliedAt : since,
      boundMs: this.ctx.boundMs,
      clock: this.ctx.clock,
    });
    o.replicas = seen.outcomes;
    o.strangers = seen.strangers;
    return seen.unanswered;
  }

  /** After the rollout settled: verify, change, verify, undo. */
  async afterSettle(noMidRollout?: string): Promise<ConfigLiveEvidence> {
    const replicas = await this.ctx.gatewayReplicas();
    const [before, mid] = this.changes;
    const first = this.first;
    try {
      if (!before || !first) throw new Error('config-live: the tenant of its own was never created');
      const unanswered = await this.verify(
        before,
        replicas,
        this.probe(first.key),
        (a) => a.status === 200 && a.model === 'live-a',
      );
      const reached = before.replicas.filter((r) => r.answers > 0).map((r) => r.replica);
      // every probe answered, by some of the ready replicas only: the endpoint cannot reach the others
      if (reached.length < replicas.length && reached.length > 0 && unanswered === 0 && before.strangers.length === 0) {
        throw new ReplicasUnreachable(
          `through ${this.ctx.gateway} the probes reached only ${reached.join(', ')} of the ready gateway replicas ` +
            `${replicas.join(', ')} within ${this.ctx.boundMs} ms: the target's gateway endpoint cannot reach every replica`,
        );
      }
      if (mid) await this.verify(mid, replicas, this.probe(first.key, `say ${this.midWord}`), (a) => a.status === 403);
      let second: { key: string } | undefined;
      const created = await this.make('create a consumer and key', 'after the rollout', async () => {
        second = await this.tenant.addConsumer('second', budget);
      });
      if (!second) return this.evidence(replicas, noMidRollout, await this.undo());
      const key2 = second.key;
      await this.verify(created, replicas, this.probe(key2), (a) => a.status === 200);
      const route = this.tenant.records.routes[0]!;
      const moved = await this.make('move a route', 'after the rollout', async () => {
        await this.ctx.api.call('PATCH', `/api/v1/routes/${route.id}`, { upstreamModel: 'live-b' });
      });
      await this.verify(moved, replicas, this.probe(key2), (a) => a.status === 200 && a.model === 'live-b');
      const tightened = await this.make('tighten a budget', 'after the rollout', async () => {
        await this.ctx.api.call('PATCH', `/api/v1/budgets/${this.tenant.records.budgets[1]!.id}`, { limitMicroUsd: 0 });
      });
      await this.verify(tightened, replicas, this.probe(key2), (a) => a.status === 429);
      const revoked = await this.make('revoke a key', 'after the rollout', async () => {
        await this.ctx.api.call('DELETE', `/api/v1/keys/${first.keyId}`);
      });
      await this.verify(revoked, replicas, this.probe(first.key), (a) => a.status === 401);
      return this.evidence(replicas, noMidRollout, await this.undo());
    } catch (error) {
      const undo = await this.undo();
      if (error instanceof ReplicasUnreachable) throw error;
      return this.evidence(replicas, noMidRollout, [...undo, `stopped early: ${message(error)}`]);
    }
  }

  private evidence(replicas: string[], noMidRollout: string | undefined, undoProblems: string[]): ConfigLiveEvidence {
    return {
      boundMs: this.ctx.boundMs,
      replicas,
      changes: this.changes,
      undoProblems,
      ...(noMidRollout ? { noMidRollout } : {}),
    };
  }

  private undone = false;

  /** Removes the tenant (once its usage stopped growing: a gateway flushes in batches); the problems. */
  async undo(): Promise<string[]> {
    if (this.undone) return [];
    this.undone = true;
    try {
      await usageSettled(
        this.ctx.db,
        this.tenant.records.users.map((u) => u.consumer),
        this.ctx.settleMs,
      );
      await this.tenant.remove(this.ctx.db, this.ctx.apiOptions);
      this.ctx.mark('config-live', 'changes undone');
      return [];
    } catch (error) {
      return [message(error)];
    }
  }
}
