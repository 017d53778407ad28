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
