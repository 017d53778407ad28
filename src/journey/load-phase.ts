import { setTimeout as sleep } from 'node:timers/promises';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import type { BehindEpisode, LoadResult, RunningLoad } from '../load/index.ts';
import { startLoad } from '../load/index.ts';
import { realRunLoadMustBeValid } from '../load/options.ts';
import type { Phase } from '../release/manifest.ts';
import { cappedRate, safetyLimitsOf } from '../targets/safety.ts';
import { knowsConnectionReplicas } from '../targets/target.ts';

const log = createLogger('load');

/** Starts the synthetic gateway load of one phase, writing into that phase's ledger. */
export function startPhaseLoad(
  run: RunState,
  phase: Phase,
  target: { gatewayUrl: string; rate: number; label: string } | undefined = undefined,
): RunningLoad {
  const seeded = run.requireSeeded();
  const what = target ? `${phase}, ${target.label}` : phase;
  let behind = 0;
  const { load, timeouts } = run.config;
  const platform = run.requirePlatform();
  // through the Service, a connection-level failure names the replica its connection was bound to, where the target knows it
  const attribute =
    !target && knowsConnectionReplicas(platform) ? (port: number) => platform.gatewayReplicaOf(port) : undefined;
  const options = {
    gatewayUrl: target?.gatewayUrl ?? run.requirePlatform().endpoints.gateway,
    consumers: seeded.load.map((c) => ({
      consumer: c.consumer,
      key: c.key,
      model: c.model,
      expect: c.expect,
      prompt: c.prompt,
      headers: c.headers,
    })),
    rate: cappedRate(target?.rate ?? load.rate, safetyLimitsOf(run.requirePlatform())),
    mix: load.mix,
    maxDurationMs: load.maxSeconds * 1000,
    maxRequests: load.maxRequests,
    requestTimeoutMs: timeouts.requestMs,
    prices: seeded.prices,
    connections: load.connections,
    maxInFlight: load.maxInFlight,
    maxLagMs: load.maxLagMs,
    workers: load.workers,
    drainTimeoutMs: timeouts.drainLoadSeconds * 1000,
    ledger: run.ledger(phase),
    onFinished: (r: LoadResult) => {
      const { achievedPerSec, shortSeconds } = r;
      // a load worker that failed took its share of the load with it: the run cannot be judged on it
      if (r.workerFailures)
        run.harnessFault({ source: 'load-generator', reason: `${what}: ${r.workerFailures.join('; ')}` });
      run.loadRates.push({ load: what, asked: options.rate, achievedPerSec, shortSeconds });
    },
    attribute,
    onBehind: (e: BehindEpisode) => {
      // One fault per load is enough for the verdict; every episode is in the load's log and result.
      if (behind++ === 0) run.harnessFault({ source: 'load-generator', reason: `${what}: ${e.reason}` });
    },
  };
  realRunLoadMustBeValid(options);
  log.info(`load started (${what})`, { rate: options.rate, consumers: options.consumers.length, mix: load.mix });
  run.timeline.mark('load-started', what);
  const running = startLoad(options);
  // an interrupt stops every running load before the platform is torn down (certification.ts)
  run.runningLoads.add(running);
  void running.issuingEnded.then(() => run.runningLoads.delete(running));
  return running;
}

/**
 * Keeps the load running for the settle period after a rollout, and longer if the phase has not yet reached
 * the configured minimum of requests (bounded by the load's own count and time bounds), then stops it and
 * waits for every in-flight request.
 */
export async function settleAndStop(run: RunState, phase: Phase, load: RunningLoad): Promise<void> {
  const ledger = run.ledger(phase);
  const { signal } = run;
  const wait = (ms: number) => sleep(ms, null, { signal }).catch(() => null);
  await Promise.race([wait(run.config.load.settleSeconds * 1000), load.issuingEnded]);
  const min = run.config.load.minRequests;
  while (ledger.size < min && !signal.aborted) {
    const reason = await Promise.race([wait(100), load.issuingEnded]);
    if (reason) break;
  }
  const result = await load.stop();
  run.timeline.mark('load-stopped', phase);
  log.info(`load stopped (${phase})`, { requests: ledger.size, stoppedBy: result.stoppedBy });
}
