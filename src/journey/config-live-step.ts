import { configLive } from '../checks/config-live/check.ts';
import { ConfigLiveSession, ReplicasUnreachable } from '../checks/config-live/session.ts';
import { apiOf, queryable } from '../checks/evidence/tenant-data.ts';
import { selection } from '../checks/registry.ts';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import { missingFeature } from '../platform/features.ts';
import type { Phase } from '../release/manifest.ts';
import { createConfigApi } from '../seed/index.ts';
import { safetyLimitsOf } from '../targets/safety.ts';

const log = createLogger('config-live');

/** config-live's part of a phase's rollout: the change made mid-rollout, then the changes after it settled. */
export interface ConfigLiveRun {
  /** makes the mid-rollout change when the first replica of `version` becomes ready. */
  watchRollout(version: string): void;
  /** after the rollout: makes the mid-rollout change now if no new replica became ready before. */
  rolloutDone(): Promise<void>;
  /** after the rollout settled (load stopped): the changes, their probes, the undo; records the result. */
  finish(noMidRollout?: string): Promise<void>;
}

/** Starts config-live's part of a phase (nothing when the check is not selected). */
export async function openConfigLive(run: RunState, phase: Phase): Promise<ConfigLiveRun | undefined> {
  if (selection('config-live', run.config.only, run.config.skip)) return undefined;
  if (missingFeature(configLive.needs, run.unsupported)) return undefined; // reported as not-supported
  const platform = run.requirePlatform();
  const providerId = run.requireSeeded().records.providers[0]?.id;
  if (!providerId) {
    run.configLive.set(phase, { error: 'no seeded provider to route config-live probes to' });
    return undefined;
  }
  const session = new ConfigLiveSession({
    phase,
    api: createConfigApi(apiOf(run)),
    apiOptions: apiOf(run),
    prefix: safetyLimitsOf(platform)?.tenantPrefix,
    db: queryable(platform),
    gateway: platform.endpoints.gateway,
    gatewayReplicas: async () =>
      (await platform.components())
        .filter((c) => c.name === 'gateway')
        .flatMap((c) => c.replicas.filter((r) => r.ready).map((r) => r.id)),
    providerId,
    clock: run.clock,
    boundMs: run.config.timeouts.configLiveSeconds * 1000,
    settleMs: run.config.timeouts.settleConditionSeconds * 1000,
    mark: (kind, detail) => run.timeline.mark(kind, detail),
  });
  await session.open();
  let mid: Promise<void> | undefined;
  let unsubscribe = () => {};
  return {
    watchRollout(version) {
      const off = run.timeline.subscribe((e) => {
        if (mid || e.kind !== 'replica-ready' || e.version !== version || !e.component) return;
        mid = session.midRollout();
        off();
      });
      unsubscribe = () => void off();
    },
    async rolloutDone() {
      unsubscribe();
      mid ??= session.midRollout();
      await mid;
    },
    async finish(noMidRollout) {
      try {
        const evidence = await session.afterSettle(noMidRollout);
        run.configLive.set(phase, { evidence });
      } catch (error) {
        const why = (error as Error).message;
        run.configLive.set(phase, error instanceof ReplicasUnreachable ? { notSupported: why } : { error: why });
        log.warn(`config-live (${phase}): ${why}`);
      }
    },
  };
}
