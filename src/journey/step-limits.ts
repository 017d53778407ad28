import type { UpcertConfig } from '../config/schema.ts';

/** What vitest allows beyond the journey's own deadlines, so that theirs (descriptive) is the error a user sees. */
const marginSeconds = 60;

/**
 * The vitest limits of the journey's tests, derived from the `timeouts` configuration: each is the longest
 * sum of deadlines the test can meet in turn, plus a margin. A step: installing N (kind: cluster, images,
 * rollout, endpoints), seeding, or a load phase (the load's bound, a rollout, the drain, spend settled twice,
 * a restore). A check: a scratch restore, or browser sign-ins. The end: logs and teardown.
 */
export function stepLimits(config: Pick<UpcertConfig, 'timeouts' | 'load'>): {
  stepMs: number;
  checkMs: number;
  finishMs: number;
} {
  const t = config.timeouts;
  const install =
    t.installSeconds + t.clusterCreateSeconds + t.imageLoadSeconds + t.rolloutSeconds + t.endpointsReadySeconds;
  const seed = t.seedSeconds + t.settleConditionSeconds + (2 * t.requestMs) / 1000;
  const phase =
    config.load.maxSeconds + t.rolloutSeconds + t.drainLoadSeconds + 2 * t.settleConditionSeconds + t.backupSeconds;
  const hand = (t.handEditSeconds ?? 0) + t.settleConditionSeconds + t.kubeCommandSeconds;
  const step = Math.max(install, seed, phase, hand, t.backupSeconds, 3 * t.signInSeconds);
  const check = Math.max(2 * t.backupSeconds, 3 * t.signInSeconds, t.settleConditionSeconds + t.requestMs / 1000);
  const finish = t.logsSeconds + t.backupSeconds + 2 * t.kubeCommandSeconds;
  return {
    stepMs: (step + marginSeconds) * 1000,
    checkMs: (check + marginSeconds) * 1000,
    finishMs: (finish + marginSeconds) * 1000,
  };
}
