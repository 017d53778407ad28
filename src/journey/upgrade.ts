import { setTimeout as sleep } from 'node:timers/promises';
import type { RunState } from '../checks/run-state.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { openConfigLive } from './config-live-step.ts';
import { timelineSink } from './install.ts';
import { settleAndStop, startPhaseLoad } from './load-phase.ts';
import { sampleMigrations } from './migration-sampler.ts';
import { type SkewProbe, startSkewProbe } from './skew-probe.ts';
import { settledSpend } from './spend.ts';

const log = createLogger('upgrade');

/**
 * Steps 6-8: read spend, start the load, upgrade to N+1 while it runs (config-live changes one thing
 * mid-rollout and four after it settled) (every rollout event and migration
 * head change into the timeline), keep the load through the settle period, stop it and wait for every
 * in-flight request, then read spend again. A failed rollout is reported as a failed step; the load is
 * stopped and spend read either way, so that the checks can say what it cost.
 */
export async function upgradeUnderLoad(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const before = await settledSpend(run);
  run.spend.set('upgrade', { before });
  const live = await openConfigLive(run, 'upgrade');
  const load = startPhaseLoad(run, 'upgrade');
  let failure: unknown;
  const stopSampling = sampleMigrations(run);
  let skew: SkewProbe | undefined;
  try {
    skew = await startSkewProbe(run);
    // the warm-up, then the steady window that latency-held compares the rollout window with
    const { warmupSeconds, steadySeconds } = run.config.load;
    await sleep((warmupSeconds + steadySeconds) * 1000, null, { signal: run.signal });
    const rollout = { start: run.clock() } as { start: number; end?: number };
    run.rollouts.set('upgrade', rollout);
    run.timeline.mark('upgrade-started', `${run.from.name} → ${run.to.name}`);
    log.info(`upgrading ${run.from.name} → ${run.to.name} under load`);
    live?.watchRollout(run.to.version);
    try {
      await platform.upgrade(run.to, timelineSink(run));
    } catch (error) {
      failure = error;
    }
    rollout.end = run.clock();
    await live?.rolloutDone();
    run.timeline.mark(failure ? 'upgrade-failed' : 'upgrade-complete', run.to.name);
  } finally {
    await Promise.all([skew?.finish(), settleAndStop(run, 'upgrade', load)]);
    await stopSampling();
  }
  const entry = run.spend.get('upgrade');
  if (entry) entry.after = await settledSpend(run);
  await live?.finish();
  if (failure) {
    throw new StepFailedError(`upgrade to ${run.to.name}: ${(failure as Error).message}`, { cause: failure });
  }
}
