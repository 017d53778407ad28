import { fail, pass, type Verdict } from '../check.ts';

export interface OrderingEvidence {
  newVersion: string;
  /** when the last of the release's new migrations was recorded (epoch ms), null when none ran. */
  migrationsCompletedAt: number | null;
  newMigrations: { name: string; appliedAt: number }[];
  /** first request answered by the new version, on the ledger's clock (epoch ms). */
  firstServedByNew: { t: number; replica: string } | null;
  /** control-plane replicas of the new version and when each became ready. */
  controlPlaneReady: { replica: string; t: number }[];
  /** what the new control plane's own logs say (clock-free: line order); absent when the target gives no logs. */
  readinessLog?: ReadinessLogEvidence;
  /** how database timestamps were put on the run's clock; comparisons allow ± the uncertainty. */
  clock?: { databaseOffsetMs: number; uncertaintyMs: number };
}

/** Every `ready` line of the new release's control-plane processes and the `migrations complete` before it. */
export interface ReadinessLogEvidence {
  /** control-plane logs of the new version that were read. */
  logs: number;
  replicas: { replica: string; log: string; readyAt: string; migratedAt: string | null }[];
}

/** migrationOrdering's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeMigrationOrdering(e: OrderingEvidence): Verdict {
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
}
