import { randomBytes } from 'node:crypto';
import { ChangeLog } from './change-log.ts';
import type { ConfigLiveContext } from './context.ts';
import type { ChangeOutcome, ConfigLiveEvidence } from './judge.ts';
import { ProbeTenant } from './probe-tenant.ts';
import type { ProbeRequest } from './replica-probe.ts';
import { usageSettled } from './usage-settled.ts';

/** Thrown when the target cannot reach every replica through its gateway endpoint (check: not-supported). */
export class ReplicasUnreachable extends Error {}

const budget = 1_000_000_000_000;
const message = (error: unknown) => (error as Error).message;

export type { ConfigLiveContext };

/**
 * config-live's journey part (DESIGN.md): before the rollout a tenant of its own with a consumer and a route;
 * mid-rollout one change (a guardrail rule); after the rollout settled, four changes (a consumer and key
 * created, a route moved, a budget tightened, a key revoked), each probed through the gateway's front door
 * until every ready replica enforces it (bounded), then everything undone.
 */
export class ConfigLiveSession {
  private readonly log: ChangeLog;
  private readonly tenant: ProbeTenant;
  private readonly midWord = `mid${randomBytes(3).toString('hex')}`;
  private first: { keyId: string; key: string } | undefined;

  constructor(private readonly ctx: ConfigLiveContext) {
    this.tenant = new ProbeTenant(ctx.api, ctx.phase, ctx.prefix);
    this.log = new ChangeLog(ctx);
  }

  get changes(): ChangeOutcome[] {
    return this.log.changes;
  }

  /** Before the rollout: the tenant, its route (to upstream model `live-a`) and a first consumer. */
  async open(): Promise<void> {
    await this.log.make('create a consumer and key', 'before the rollout', async () => {
      await this.tenant.create(this.ctx.providerId, 'live-a');
      this.first = await this.tenant.addConsumer('first', budget);
    });
  }

  /** Mid-rollout: a guardrail rule on the tenant's project. */
  async midRollout(): Promise<void> {
    await this.log.make('add a guardrail rule', 'mid-rollout', () => this.tenant.addGuardrail(this.midWord));
  }

  private probe(key: string, prompt = 'config-live probe'): ProbeRequest {
    return { key, model: this.tenant.model, prompt };
  }

  /** After the rollout settled: verify, change, verify, undo. */
  async afterSettle(noMidRollout?: string): Promise<ConfigLiveEvidence> {
    const replicas = await this.ctx.gatewayReplicas();
    const [before, mid] = this.changes;
    const first = this.first;
    try {
      if (!before || !first) throw new Error('config-live: the tenant of its own was never created');
      const unanswered = await this.log.verify(
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
      if (mid)
        await this.log.verify(mid, replicas, this.probe(first.key, `say ${this.midWord}`), (a) => a.status === 403);
      let second: { key: string } | undefined;
      const created = await this.log.make('create a consumer and key', 'after the rollout', async () => {
        second = await this.tenant.addConsumer('second', budget);
      });
      if (!second) return this.evidence(replicas, noMidRollout, await this.undo());
      const key2 = second.key;
      await this.log.verify(created, replicas, this.probe(key2), (a) => a.status === 200);
      const route = this.tenant.records.routes[0]!;
      const moved = await this.log.make('move a route', 'after the rollout', async () => {
        await this.ctx.api.call('PATCH', `/api/v1/routes/${route.id}`, { upstreamModel: 'live-b' });
      });
      await this.log.verify(moved, replicas, this.probe(key2), (a) => a.status === 200 && a.model === 'live-b');
      const tightened = await this.log.make('tighten a budget', 'after the rollout', async () => {
        await this.ctx.api.call('PATCH', `/api/v1/budgets/${this.tenant.records.budgets[1]!.id}`, { limitMicroUsd: 0 });
      });
      await this.log.verify(tightened, replicas, this.probe(key2), (a) => a.status === 429);
      const revoked = await this.log.make('revoke a key', 'after the rollout', async () => {
        await this.ctx.api.call('DELETE', `/api/v1/keys/${first.keyId}`);
      });
      await this.log.verify(revoked, replicas, this.probe(first.key), (a) => a.status === 401);
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
