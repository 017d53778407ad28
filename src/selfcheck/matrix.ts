import type { CheckResult } from '../checks/check-result.ts';
import type { Certificate } from '../report/certificate.ts';
import type { CheckAt, SelfcheckCase } from './cases.ts';
import type { Leftovers } from './leftovers.ts';

/**
 * What one (check, phase) did in a selfcheck case: `caught` an expected failure, `escaped` (expected, did not
 * fail), `collateral` (failed, declared), `collateral-held` (declared, passed), `undeclared` (failed, not
 * declared), `not-evaluated` (the journey halted before it: it judged nothing), `passed`, `skipped`.
 */
export type CellOutcome =
  | 'caught'
  | 'escaped'
  | 'collateral'
  | 'collateral-held'
  | 'undeclared'
  | 'not-evaluated'
  | 'passed'
  | 'skipped';

export interface MatrixCell extends CheckAt {
  status: CheckResult['status'] | 'absent';
  outcome: CellOutcome;
  summary: string;
}

export interface CaseResult {
  case: SelfcheckCase;
  /** `ok`: a good pair (or a stress release) passed, or a defect was caught with nothing undeclared failing. */
  ok: boolean;
  problems: string[];
  verdict: Certificate['verdict'] | 'no-certificate';
  cells: MatrixCell[];
  stepFailures: Certificate['stepFailures'];
  durationMs: number;
  reportDir: string;
  load?: Certificate['load'];
  /** what the run left behind once it exited (runner.ts); a case that left anything is not ok. */
  leftovers?: Leftovers;
}

const at = (list: CheckAt[], c: CheckAt) => list.some((x) => x.check === c.check && x.phase === c.phase);
/** evaluate() writes this summary when a step failure halted the journey before the check could run. */
const notEvaluated = (c: Pick<CheckResult, 'status' | 'summary'>) =>
  c.status === 'failed' && c.summary.startsWith('not evaluated:');

function outcomeOf(kase: SelfcheckCase, c: CheckResult): CellOutcome {
  const where = { check: c.id, phase: c.phase };
  const expected = at(kase.expect, where);
  const declared = at(kase.collateral, where);
  if (c.status === 'skipped' || c.status === 'not-supported') return expected ? 'escaped' : 'skipped';
  if (notEvaluated(c)) return expected ? 'escaped' : 'not-evaluated';
  if (c.status === 'failed') return expected ? 'caught' : declared ? 'collateral' : 'undeclared';
  return expected ? 'escaped' : declared ? 'collateral-held' : 'passed';
}

const label = (c: CheckAt) => `${c.check} (${c.phase})`;

/** Judges one certificate against what its case expects (pure: tests feed it certificates). */
export function judgeCase(
  kase: SelfcheckCase,
  certificate: Certificate | undefined,
  extra: { durationMs: number; reportDir: string; error?: string },
): CaseResult {
  const base = { case: kase, durationMs: extra.durationMs, reportDir: extra.reportDir };
  if (!certificate) {
    const why = extra.error ?? 'the run wrote no certificate';
    return { ...base, ok: false, problems: [why], verdict: 'no-certificate', cells: [], stepFailures: [] };
  }
  const cells: MatrixCell[] = certificate.checks.map((c) => ({
    check: c.id,
    phase: c.phase,
    status: c.status,
    outcome: outcomeOf(kase, c),
    summary: c.summary,
  }));
  for (const e of kase.expect) {
    if (!cells.some((c) => c.check === e.check && c.phase === e.phase)) {
      cells.push({ ...e, status: 'absent', outcome: 'escaped', summary: 'the run did not report this check' });
    }
  }
  const problems: string[] = [];
  // a harness fault makes any case's result worthless: the defect was not proven caught, the good pair not clean
  for (const f of certificate.harnessFaults ?? []) problems.push(`harness fault: ${f.source}: ${f.reason}`);
  const clean = kase.kind === 'good' || kase.kind === 'stress';
  if (clean && certificate.verdict === 'inconclusive' && problems.length === 0)
    problems.push(`verdict ${certificate.verdict}: ${certificate.verdictReasons?.join('; ') ?? ''}`);
  if (clean) {
    for (const c of cells.filter((x) => x.status === 'failed')) problems.push(`${label(c)} failed: ${c.summary}`);
    for (const s of certificate.stepFailures) problems.push(`step failed: ${s.step}: ${s.error}`);
  } else {
    for (const c of cells.filter((x) => x.outcome === 'escaped'))
      problems.push(`escaped: ${label(c)} ${c.status}: ${c.summary}`);
    for (const c of cells.filter((x) => x.outcome === 'undeclared'))
      problems.push(`undeclared failure: ${label(c)}: ${c.summary}`);
  }
  return {
    ...base,
    ok: problems.length === 0,
    problems,
    verdict: certificate.verdict,
    cells,
    stepFailures: certificate.stepFailures,
    load: certificate.load,
  };
}
