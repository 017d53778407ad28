import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, OrderingEvidence } from './run.ts';

export const migrationOrdering = defineCheck<CheckRun, OrderingEvidence>({
  id: 'migration-ordering',
  description:
    'nothing of N+1 served traffic before the migrations completed; the control plane reported ready only after migrate + reconcile',
  phases: ['upgrade'],
  gather: (run, phase) => run.ordering(phase),
  judge: (e) => {
    const evidence = { ...e };
    if (e.migrationsCompletedAt === null) {
      return fail(`no migration of ${e.newVersion} is recorded, so nothing can have been ordered after it`, evidence);
    }
    // a database timestamp is known on the run's clock to ± the measured uncertainty: give it the benefit
    const done = e.migrationsCompletedAt - (e.clock?.uncertaintyMs ?? 0);
    const early = e.controlPlaneReady.filter((r) => r.t < done);
    const problems: string[] = early.map(
      (r) => `control plane ${r.replica} reported ready ${Math.round(done - r.t)} ms before the migrations completed`,
    );
    if (e.firstServedByNew && e.firstServedByNew.t < done) {
      problems.push(
        `${e.firstServedByNew.replica} (${e.newVersion}) served a request ${Math.round(done - e.firstServedByNew.t)} ms before the migrations completed`,
      );
    }
    for (const r of e.readinessLog?.replicas ?? []) {
      if (r.migratedAt === null)
        problems.push(`${r.replica} logged ready at ${r.readyAt} before it logged migrations complete (${r.log})`);
    }
    if (e.controlPlaneReady.length === 0) problems.push(`no control-plane replica of ${e.newVersion} became ready`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `${e.newMigrations.length} migrations completed before any ${e.newVersion} replica served or reported ready`,
      evidence,
    );
  },
});
