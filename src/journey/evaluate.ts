import { type CheckDefinition, NotSupportedError } from '../checks/check.ts';
import type { CheckResult } from '../checks/check-result.ts';
import { selection } from '../checks/registry.ts';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import { missingFeature } from '../platform/features.ts';
import type { Phase } from '../release/manifest.ts';

const log = createLogger('checks');

/** Why evidence could not be gathered, with what of the platform was down then (a fault named, not only its symptom). */
function couldNotGather(run: RunState, error: Error): string {
  return `could not gather evidence: ${error.message}${downThen(run)}`;
}

/** What was down (at most three, then a count); nothing after an interrupt, which stops everything itself. */
function downThen(run: RunState): string {
  const down = run.signal.aborted ? [] : run.health.down();
  if (down.length === 0) return '';
  const more = down.length > 3 ? ` and ${down.length - 3} more` : '';
  return `; down then: ${down.slice(0, 3).join(', ')}${more}`;
}

/**
 * Runs one check in one phase: skipped when `--only`/`--skip` say so, not-supported when the target cannot
 * give its evidence, failed when gathering the evidence fails (never a silent pass). The result is recorded.
 */
export async function evaluate(
  run: RunState,
  // biome-ignore lint/suspicious/noExplicitAny: each check has its own evidence type
  check: CheckDefinition<any>,
  phase: Phase,
): Promise<CheckResult> {
  const skipped = selection(check.id, run.config.only, run.config.skip);
  let result: CheckResult;
  if (skipped) {
    result = { id: check.id, phase, status: 'skipped', summary: skipped, evidence: {} };
  } else if (missingFeature(check.needs, run.unsupported)) {
    const missing = missingFeature(check.needs, run.unsupported);
    result = { id: check.id, phase, status: 'not-supported', summary: missing ?? '', evidence: {} };
  } else if (phase === 'rollback' && run.rollbackRefused) {
    result = {
      id: check.id,
      phase,
      status: 'not-supported',
      summary: `no rollback: ${run.rollbackRefused}`,
      evidence: {},
    };
  } else if (phase === 'rollback' && run.rollbackSkipped) {
    result = { id: check.id, phase, status: 'skipped', summary: run.rollbackSkipped, evidence: {} };
  } else if (run.halted) {
    const summary = `not evaluated: ${run.halted}${downThen(run)}`;
    result = { id: check.id, phase, status: 'failed', summary, evidence: {} };
  } else {
    try {
      const verdict = check.judge(await check.gather(run, phase), phase);
      result = {
        id: check.id,
        phase,
        status: verdict.passed ? 'passed' : 'failed',
        summary: verdict.summary,
        evidence: verdict.evidence,
      };
    } catch (error) {
      const notSupported = error instanceof NotSupportedError;
      result = {
        id: check.id,
        phase,
        status: notSupported ? 'not-supported' : 'failed',
        summary: notSupported ? (error as Error).message : couldNotGather(run, error as Error),
        evidence: {},
      };
    }
  }
  run.results.push(result);
  log.info(`${check.id} (${phase}): ${result.status} — ${result.summary}`);
  return result;
}
