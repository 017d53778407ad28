import { fail, pass, type Verdict } from '../check.ts';
import type { BudgetMismatch } from '../evidence/spend-window.ts';
import type { RecordDiff } from '../evidence/tenant-diffs.ts';

export interface RollbackEvidence {
  mode: 'schema-compatible' | 'restore-required' | 'stateless';
  release: string;
  /** replicas not running N (version or digest), from the target. */
  notN: string[];
  migrationHead: string | null;
  /** N's head after a restore; N+1's after a schema-compatible rollback (N runs on it, by the release's word). */
  expectedHead: string;
  /** tenant configuration differences from the pre-upgrade snapshot (spend aside). */
  configDiffs: RecordDiff[];
  /** budgets whose spend is not what the ledger and the snapshot (or the backup) say. */
  spendMismatches: BudgetMismatch[];
  spendBasis: string;
  /** a restore-required rollback: the outage and what the restore lost. */
  restore?: {
    outageMs: number | null;
    lostRequests: number;
    lostMicroUsd: number;
    /** budgets whose lost spend differs from the ledger's cost of the requests served after the backup. */
    lostMismatches: BudgetMismatch[];
  };
  gatewayStatus: number;
  gatewayVersion: string;
  consoleStatus: number;
}

/** rollbackClean's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeRollbackClean(e: RollbackEvidence): Verdict {
  const problems: string[] = [...e.notN];
  if (e.migrationHead !== e.expectedHead)
    problems.push(`migration head ${e.migrationHead ?? '(none)'}, expected ${e.expectedHead}`);
  for (const d of e.configDiffs.slice(0, 5)) problems.push(`${d.kind} ${d.id}: ${d.field} changed`);
  for (const m of e.spendMismatches.slice(0, 5)) {
    const off = m.stretches?.length ? `; off ${m.stretches.join(' and ')}` : '';
    problems.push(`budget ${m.id}: spend ${m.actual} µ$, expected ${m.expected} µ$ (${e.spendBasis}${off})`);
  }
  for (const m of e.restore?.lostMismatches.slice(0, 5) ?? []) {
    problems.push(
      `budget ${m.id}: the restore lost ${m.actual} µ$, the ledger says ${m.expected} µ$ were served after the backup`,
    );
  }
  if (e.gatewayStatus !== 200 || e.gatewayVersion !== e.release) {
    problems.push(
      `gateway answered ${e.gatewayStatus} from ${e.gatewayVersion || '(no version)'}, expected 200 from ${e.release}`,
    );
  }
  if (e.consoleStatus === 0 || e.consoleStatus >= 500)
    problems.push(`console answered ${e.consoleStatus || 'nothing'}`);
  if (problems.length > 0) return fail(problems.join('; '), { ...e });
  const restored = e.restore
    ? `; restore lost ${e.restore.lostRequests} requests (${e.restore.lostMicroUsd} µ$), outage ${e.restore.outageMs ?? '?'} ms`
    : '';
  return pass(`back on ${e.release} (${e.mode}), head ${e.migrationHead}, configuration and spend exact${restored}`, {
    ...e,
  });
}
