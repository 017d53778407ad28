import { StepFailedError } from '../../common/errors.ts';
import type { Deployment, Revision } from './deployment.ts';
import type { Replica } from './replica.ts';

export interface RolloutOptions {
  /** Fail when no new replica became ready for this long (Kubernetes progressDeadlineSeconds). */
  progressDeadlineMs: number;
  /**
   * Fail at once when a new replica's process exits before it was ever ready, instead of restarting it
   * until the deadline (install: nothing is transient there, and the log tail is what the user needs).
   */
  failOnCrash?: boolean;
}

const maxSurge = 1;
const maxUnavailable = 0;

/** Which old replica goes first: not-ready ones, then the newest (the ReplicaSet controller's ranking). */
function scaleDownCandidate(old: Replica[]): Replica | undefined {
  return [...old].sort((a, b) => Number(a.ready) - Number(b.ready) || b.state.since - a.state.since)[0];
}

/**
 * Rolls one Deployment to `next` with Kubernetes' RollingUpdate semantics (maxSurge 1, maxUnavailable 0):
 * a new replica is created while the total stays within desired + 1; an old replica is told to terminate
 * only while the ready count stays at or above the desired count; terminating replicas do not count, so
 * the next new replica starts as soon as an old one begins terminating. From zero (install) every replica
 * starts at once. Resolves when every replica runs `next`, is ready, and every old replica has exited.
 */
export async function rollingUpdate(deployment: Deployment, next: Revision, opts: RolloutOptions): Promise<void> {
  const { timeline } = deployment.spec;
  const desired = next.settings.replicas;
  const from = [...new Set([...deployment.replicas.values()].map((r) => r.version))];
  timeline.emit('rollout-started', deployment.name, '', next.version, { from, revision: next.number, desired });
  let lastProgress = Date.now();
  let readyNew = 0;
  const terminations: Promise<void>[] = [];
  for (;;) {
    if (deployment.stopped)
      throw new StepFailedError(`rollout: ${deployment.name} to ${next.version} aborted (stopping)`);
    const fresh = deployment.live(next.number);
    const old = deployment.live(next.number, true);
    const ready = fresh.filter((r) => r.ready).length;
    if (ready > readyNew) lastProgress = Date.now();
    readyNew = ready;
    if (ready >= desired && fresh.length === desired && old.length === 0) break;

    if (fresh.length < desired && fresh.length + old.length < desired + maxSurge) {
      deployment.create(next);
      continue;
    }
    const readyTotal = ready + old.filter((r) => r.ready).length;
    const victim = scaleDownCandidate(old);
    if (victim && (readyTotal - (desired - maxUnavailable) > 0 || !victim.ready)) {
      terminations.push(deployment.terminate(victim));
      continue;
    }
    if (fresh.length > desired) {
      terminations.push(deployment.terminate(scaleDownCandidate(fresh)!));
      continue;
    }

    const crashed = opts.failOnCrash ? fresh.find((r) => r.restarts > 0 && !r.ready) : undefined;
    if (crashed) throw await crashed.notReadyError('exited before it became ready');
    const left = opts.progressDeadlineMs - (Date.now() - lastProgress);
    if (left <= 0) {
      const stuck = fresh.find((r) => !r.ready);
      const why = `made no progress for ${Math.round(opts.progressDeadlineMs / 1000)} s (progressDeadlineSeconds)`;
      if (stuck) throw await stuck.notReadyError(`not ready: the rollout to ${next.version} ${why}`);
      throw new StepFailedError(`rollout: ${deployment.name} to ${next.version} ${why}`);
    }
    await deployment.changed(left);
  }
  await Promise.all(terminations);
  timeline.emit('rollout-complete', deployment.name, '', next.version, { revision: next.number, desired });
}
