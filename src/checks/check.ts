import type { Feature } from '../platform/features.ts';
import type { CheckId, Phase } from '../release/manifest.ts';
import type { RunState } from './run-state.ts';

export type { CheckResult, CheckStatus } from './check-result.ts';

export interface Verdict {
  passed: boolean;
  summary: string;
  evidence: Record<string, unknown>;
}

/** Thrown by `gather` when the target cannot provide what the check needs (reported as not-supported). */
export class NotSupportedError extends Error {
  override name = 'NotSupportedError';
}

/**
 * A declared check (STYLE.md): an id, the phases it holds in, what it checks, how to gather its evidence from
 * the run (reading only: the journey's steps did everything that writes), and a pure `judge` over that
 * evidence. Tests break the evidence to show a judge can fail. Each check lives in `src/checks/<id>/`:
 * `judge.ts` (evidence type and judge), `gather.ts`, `check.ts` (this record).
 */
export interface CheckDefinition<TEvidence = unknown> {
  id: CheckId;
  description: string;
  phases: readonly Phase[];
  /** What the check needs of the target and platform; one they declare unsupported makes it `not-supported`. */
  needs: readonly Feature[];
  gather(run: RunState, phase: Phase): Promise<TEvidence>;
  judge(evidence: TEvidence, phase: Phase): Verdict;
}

export function defineCheck<TEvidence>(def: CheckDefinition<TEvidence>): CheckDefinition<TEvidence> {
  return def;
}

export function pass(summary: string, evidence: Record<string, unknown> = {}): Verdict {
  return { passed: true, summary, evidence };
}

export function fail(summary: string, evidence: Record<string, unknown> = {}): Verdict {
  return { passed: false, summary, evidence };
}
