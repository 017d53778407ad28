import type { CheckId, Phase } from '../release/manifest.ts';

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'not-supported';

/** What one check concluded in one phase; `evidence` is what a reader needs to believe it. */
export interface CheckResult {
  id: CheckId;
  phase: Phase;
  status: CheckStatus;
  summary: string;
  evidence: Record<string, unknown>;
}

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
 * a run, and a pure `judge` over that evidence. Tests break the evidence to show a judge can fail.
 */
export interface CheckDefinition<TRun = unknown, TEvidence = unknown> {
  id: CheckId;
  description: string;
  phases: readonly Phase[];
  gather(run: TRun, phase: Phase): Promise<TEvidence>;
  judge(evidence: TEvidence, phase: Phase): Verdict;
}

export function defineCheck<TRun, TEvidence>(def: CheckDefinition<TRun, TEvidence>): CheckDefinition<TRun, TEvidence> {
  return def;
}

export function pass(summary: string, evidence: Record<string, unknown> = {}): Verdict {
  return { passed: true, summary, evidence };
}

export function fail(summary: string, evidence: Record<string, unknown> = {}): Verdict {
  return { passed: false, summary, evidence };
}
