import { setTimeout as sleep } from 'node:timers/promises';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import type { RunningLoad } from '../load/index.ts';
import { canKeepStragglers, type Straggler } from '../targets/target.ts';
import { startPhaseLoad } from './load-phase.ts';

const log = createLogger('skew');

/**
 * The version-skew window, held open: a gateway of release N kept outside the Service through the upgrade
 * (a pod the rollout has not replaced yet), with a share of the load sent to it directly, into the phase's
 * ledger. The product promises that N's gateways keep working against N+1's control plane and schema
 * while the rollout runs; how long a real rollout leaves them running depends on its timing, so the run
 * makes sure they meet N+1 for a while after the rollout, whatever that timing was.
 */
export interface SkewProbe {
  /** after the rollout: keep the straggler's load for the skew period, then stop both. */
  finish(): Promise<void>;
}

export async function startSkewProbe(run: RunState): Promise<SkewProbe> {
  const platform = run.requirePlatform();
  const seconds = run.config.load.skewSeconds;
  if (seconds <= 0 || !canKeepStragglers(platform)) {
    const why = seconds <= 0 ? 'load.skewSeconds is 0' : `the ${run.config.target} target cannot keep a straggler`;
    run.timeline.mark('skew-probe-skipped', why);
    log.info(`no version-skew probe: ${why}`);
    return { finish: async () => undefined };
  }
  const straggler: Straggler = await platform.startStraggler('gateway');
  run.timeline.mark('skew-probe-started', `${straggler.id} (${straggler.version}) outside the Service`);
  const share = Math.max(10, Math.round(run.config.load.rate / 10));
  let load: RunningLoad | undefined;
  try {
    load = startPhaseLoad(run, 'upgrade', {
      gatewayUrl: straggler.url,
      rate: share,
      label: `straggler ${straggler.id}`,
    });
  } catch (error) {
    await straggler.stop();
    throw error;
  }
  return {
    finish: async () => {
      try {
        await Promise.race([sleep(seconds * 1000, null, { signal: run.signal }).catch(() => null), load?.issuingEnded]);
        await load?.stop();
      } finally {
        await straggler.stop();
        run.timeline.mark('skew-probe-stopped', straggler.id);
      }
    },
  };
}
