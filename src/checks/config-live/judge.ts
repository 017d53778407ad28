import { fail, pass, type Verdict } from '../check.ts';
import type { ReplicaOutcome } from './replica-probe.ts';

/** One configuration change and what every gateway replica did with it. */
export interface ChangeOutcome {
  change: string;
  when: 'before the rollout' | 'mid-rollout' | 'after the rollout';
  /** when the API call that made it returned (ledger clock); null when it was never made. */
  appliedAt: number | null;
  /** the API call failed: why. */
  error?: string;
  replicas: ReplicaOutcome[];
  /** replicas that answered but were not in the target's list of ready gateway replicas. */
  strangers: string[];
}

export interface ConfigLiveEvidence {
  boundMs: number;
  /** the ready gateway replicas the target listed after the rollout settled. */
  replicas: string[];
  changes: ChangeOutcome[];
  /** why no change was made mid-rollout (a restore-required rollback), when none was. */
  noMidRollout?: string;
  /** what undoing the changes could not undo. */
  undoProblems: string[];
}

/** What config-live found in a phase (the journey's step records it): its evidence, or why there is none. */
export type ConfigLiveResult = { evidence: ConfigLiveEvidence } | { notSupported: string } | { error: string };

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function problemsOf(c: ChangeOutcome, boundMs: number): string[] {
  const what = `${c.change} (${c.when})`;
  if (c.error) return [`${what}: the API call failed: ${c.error}`];
  return c.replicas
    .filter((r) => r.ms === null || r.ms > boundMs)
    .map(
      (r) =>
        `${what}: replica ${r.replica} did not enforce it within ${secs(boundMs)} ` +
        `(${r.answers} answers, the last ${r.last})`,
    );
}

function slowest(c: ChangeOutcome): string {
  const worst = [...c.replicas].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0))[0];
  return worst ? `${c.change} (${c.when}): slowest ${worst.replica} ${secs(worst.ms ?? 0)}` : c.change;
}

/**
 * config-live's judge (pure): every change must have been made and enforced by every ready gateway replica
 * within the bound, and undone afterwards. The summary names the change, the replica and how long it took.
 */
export function judgeConfigLive(e: ConfigLiveEvidence): Verdict {
  const evidence = { ...e };
  if (e.changes.length === 0) return fail('no configuration change was made', evidence);
  const problems = [...e.changes.flatMap((c) => problemsOf(c, e.boundMs)), ...e.undoProblems.map((p) => `undo: ${p}`)];
  if (problems.length > 0) return fail(problems.join('; '), evidence);
  const mid = e.noMidRollout ? `; no change mid-rollout: ${e.noMidRollout}` : '';
  return pass(
    `${e.changes.length} changes reached all ${e.replicas.length} gateway replicas within ${secs(e.boundMs)}: ` +
      `${e.changes.map(slowest).join('; ')}${mid}`,
    evidence,
  );
}
