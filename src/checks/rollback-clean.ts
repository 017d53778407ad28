import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, RollbackEvidence } from './run.ts';

export const rollbackClean = defineCheck<CheckRun, RollbackEvidence>({
  id: 'rollback-clean',
  description:
    "after rollback (and restore when required): N's running set and migration head, tenant configuration as before the upgrade, spend exact, gateway and console working",
  phases: ['rollback'],
  gather: (run) => run.rollback(),
  judge: (e) => {
    const problems: string[] = [...e.notN];
    if (e.migrationHead !== e.expectedHead)
      problems.push(`migration head ${e.migrationHead ?? '(none)'}, expected ${e.expectedHead}`);
    for (const d of e.configDiffs.slice(0, 5)) problems.push(`${d.kind} ${d.id}: ${d.field} changed`);
    for (const m of e.spendMismatches.slice(0, 5)) {
      problems.push(`budget ${m.id}: spend ${m.actual} µ$, expected ${m.expected} µ$ (${e.spendBasis})`);
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
  },
});
