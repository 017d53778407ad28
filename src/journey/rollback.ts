import { setTimeout as sleep } from 'node:timers/promises';
import type { RunState } from '../checks/run-state.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { waitFor } from '../common/wait-for.ts';
import { safetyLimitsOf } from '../targets/safety.ts';
import { openConfigLive } from './config-live-step.ts';
import { timelineSink } from './install.ts';
import { settleAndStop, startPhaseLoad } from './load-phase.ts';
import { sampleMigrations } from './migration-sampler.ts';
import { settledSpend } from './spend.ts';

const log = createLogger('rollback');

/**
 * Step 9b: roll back to N. A `schema-compatible` release rolls back under load (and must drop nothing); a
 * `restore-required` one runs the load on N+1, stops it, rolls back, restores the pre-upgrade backup, and
 * resumes the load to prove service — the outage window and the spend the restore lost are recorded.
 */
export async function rollBack(run: RunState): Promise<void> {
  if (run.hop && !run.hop.last) {
    run.rollbackSkipped = `an intermediate hop of the path ${run.hop.path.join(' → ')}: only its last hop rolls back`;
    run.timeline.mark('rollback-skipped', run.rollbackSkipped);
    return;
  }
  const limits = safetyLimitsOf(run.requirePlatform());
  const refusal =
    limits?.rollback.allowed === false
      ? limits.rollback.reason
      : run.to.rollback === 'restore-required' && limits?.restore.allowed === false
        ? limits.restore.reason
        : undefined;
  if (limits && refusal !== undefined) {
    run.rollbackRefused = refusal || 'the target does not allow a rollback';
    run.timeline.mark('rollback-refused', run.rollbackRefused);
    log.warn(`rollback not run: ${run.rollbackRefused}`);
    return;
  }
  if (run.to.rollback !== 'restore-required') await rollBackUnderLoad(run);
  else await rollBackWithRestore(run);
}

async function rollBackUnderLoad(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  run.spend.set('rollback', { before: await settledSpend(run) });
  const live = await openConfigLive(run, 'rollback');
  const load = startPhaseLoad(run, 'rollback');
  const stopSampling = sampleMigrations(run);
  let failure: unknown;
  try {
    // the warm-up, then the steady window that latency-held compares the rollout window with
    const { warmupSeconds, steadySeconds } = run.config.load;
    await sleep((warmupSeconds + steadySeconds) * 1000, null, { signal: run.signal });
    const rollout = { start: run.clock() } as { start: number; end?: number };
    run.rollouts.set('rollback', rollout);
    run.timeline.mark('rollback-started', `${run.to.name} → ${run.from.name} (${run.to.rollback}, under load)`);
    log.info(`rolling back ${run.to.name} → ${run.from.name} under load`);
    live?.watchRollout(run.from.version);
    await platform.rollback(run.from, timelineSink(run)).catch((error) => {
      failure = error;
    });
    rollout.end = run.clock();
    await live?.rolloutDone();
    run.timeline.mark(failure ? 'rollback-failed' : 'rollback-complete', run.from.name);
  } finally {
    await settleAndStop(run, 'rollback', load);
    await stopSampling();
  }
  const entry = run.spend.get('rollback');
  if (entry) entry.after = await settledSpend(run);
  await live?.finish();
  if (failure)
    throw new StepFailedError(`rollback to ${run.from.name}: ${(failure as Error).message}`, { cause: failure });
}

async function rollBackWithRestore(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const backup = run.backup;
  if (!backup) throw new StepFailedError('rollback: the release requires a restore, and no backup was taken');
  // N+1 in steady state first, so that what the restore loses is real traffic.
  const steady = startPhaseLoad(run, 'rollback');
  await sleep(run.config.load.warmupSeconds * 1000, null, { signal: run.signal });
  await steady.stop();
  const loadStoppedAt = run.clock();
  run.timeline.mark('load-stopped', 'rollback: stop the load before the restore');
  const spendBeforeRestore = (await settledSpend(run)).budgets;
  const rollout = { start: run.clock() } as { start: number; end?: number };
  run.rollouts.set('rollback', rollout);
  run.timeline.mark('rollback-started', `${run.to.name} → ${run.from.name} (restore-required)`);
  log.info(`rolling back ${run.to.name} → ${run.from.name} and restoring the pre-upgrade backup`);
  const stopSampling = sampleMigrations(run);
  let failure: unknown;
  try {
    const rolling = platform.rollback(run.from, timelineSink(run)).catch((error) => {
      failure ??= error;
    });
    await platform.database.restore(backup.file, run.config.timeouts.backupSeconds * 1000).catch((error) => {
      failure ??= error;
    });
    const restoredAt = run.clock();
    run.timeline.mark('restored', backup.file);
    await rolling;
    rollout.end = run.clock();
    run.timeline.mark(failure ? 'rollback-failed' : 'rollback-complete', run.from.name);
    run.restore = { loadStoppedAt, restoredAt, servedAgainAt: null, spendBeforeRestore };
  } finally {
    await stopSampling();
  }
  if (failure)
    throw new StepFailedError(`rollback to ${run.from.name} with restore: ${(failure as Error).message}`, {
      cause: failure,
    });
  // Spend is judged from the restored state on: the reading before the resumed load.
  run.spend.set('rollback', { before: await settledSpend(run) });
  const live = await openConfigLive(run, 'rollback');
  const resumed = startPhaseLoad(run, 'rollback');
  const ledger = run.ledger('rollback');
  const firstAfter = ledger.size;
  await waitFor(
    'the gateway to serve again after the restore',
    async () => {
      for (let i = firstAfter; i < ledger.size; i++) {
        const row = ledger.row(i);
        if (row.outcome === 'served' && run.restore) {
          run.restore.servedAgainAt = row.end;
          return true;
        }
      }
      return false;
    },
    run.config.timeouts.settleConditionSeconds * 1000,
  ).catch(() => undefined);
  await settleAndStop(run, 'rollback', resumed);
  const entry = run.spend.get('rollback');
  if (entry) entry.after = await settledSpend(run);
  await live?.finish(
    'a restore-required rollback restores the pre-upgrade backup, which undoes any change made mid-rollout',
  );
}
