import { request } from 'undici';
import type { BudgetFigure } from '../evidence/budget-figure.ts';
import { migrationState, migrationsOf } from '../evidence/migration-state.ts';
import { answerOf, phaseProbes } from '../evidence/phase-probes.ts';
import { expectedDigest, runningReplicas } from '../evidence/running-replicas.ts';
import { type BudgetMismatch, costInWindow, type SpendStretch, strayStretches } from '../evidence/spend-window.ts';
import { currentDiffs } from '../evidence/tenant-diffs.ts';
import type { RunState, SpendReading } from '../run-state.ts';
import type { RollbackEvidence } from './judge.ts';

function mismatches(expected: Map<string, number>, actual: BudgetFigure[]): BudgetMismatch[] {
  return actual
    .filter((b) => expected.has(b.id) && expected.get(b.id) !== b.spentMicroUsd)
    .map((b) => ({ id: b.id, expected: expected.get(b.id) ?? 0, actual: b.spentMicroUsd }));
}

/** The stretches between consecutive spend readings (those that were read), each with its ledger cost. */
function stretchesOf(
  run: RunState,
  spans: [string, SpendReading | undefined, SpendReading | undefined][],
): SpendStretch[] {
  return spans.flatMap(([label, from, to]) =>
    from && to
      ? [
          {
            label,
            before: from.budgets,
            after: to.budgets,
            ledgerCost: costInWindow(run, from.budgets, from.t, to.t).byBudget,
          },
        ]
      : [],
  );
}

async function consoleStatus(url: string, timeoutMs: number): Promise<number> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/** Evidence for rollback-clean, read after the rollback (and restore) and its load. */
export async function gatherRollback(run: RunState): Promise<RollbackEvidence> {
  const mode = run.to.rollback;
  const release = run.from;
  const replicas = await runningReplicas(run);
  const notN = replicas
    .filter((r) => {
      const pin = release.components[r.component as keyof typeof release.components];
      return !pin || r.version !== pin.version || r.digest !== expectedDigest(pin, run.digestKind);
    })
    .map((r) => `${r.replica} runs ${r.version} (${r.digest.slice(0, 19)}…), not ${release.name}`);
  const state = await migrationState(run);
  const { diffs } = await currentDiffs(run, 'rollback');
  const configDiffs = diffs.filter((d) => d.field !== 'spentMicroUsd');

  const phase = run.spend.get('rollback');
  if (!phase?.after) throw new Error('no spend reading after the rollback');
  const after = phase.after;
  let expected: Map<string, number>;
  let spendBasis: string;
  let restore: RollbackEvidence['restore'];
  let stretches: SpendStretch[] = [];
  if (mode === 'schema-compatible') {
    const upgrade = run.spend.get('upgrade');
    const base = upgrade?.before;
    if (!base) throw new Error('no spend reading before the upgrade');
    const cost = costInWindow(run, base.budgets, base.t, after.t);
    expected = new Map(base.budgets.map((b) => [b.id, b.spentMicroUsd + (cost.byBudget[b.id] ?? 0)]));
    spendBasis = `pre-upgrade spend + ${cost.requests} requests served since (${cost.costMicroUsd} µ$)`;
    stretches = stretchesOf(run, [
      ['during the upgrade', base, upgrade.after],
      ['between the upgrade and the rollback', upgrade.after, phase.before],
      ['during the rollback', phase.before, after],
    ]);
  } else {
    const backup = run.backup;
    const restored = run.restore;
    if (!backup || !restored) throw new Error('no backup or restore was recorded');
    const backupSpend = new Map(
      backup.fingerprint.records.filter((r) => r.kind === 'budget').map((r) => [r.id, r.spentMicroUsd ?? 0]),
    );
    const resumed = costInWindow(run, after.budgets, phase.before.t, after.t);
    expected = new Map([...backupSpend].map(([id, spent]) => [id, spent + (resumed.byBudget[id] ?? 0)]));
    spendBasis = `backup's spend + ${resumed.requests} requests served after the restore`;
    const lost = costInWindow(run, restored.spendBeforeRestore, backup.t, restored.loadStoppedAt);
    const lostExpected = new Map(restored.spendBeforeRestore.map((b) => [b.id, lost.byBudget[b.id] ?? 0]));
    const lostActual = restored.spendBeforeRestore.map((b) => ({
      ...b,
      spentMicroUsd: b.spentMicroUsd - (backupSpend.get(b.id) ?? 0),
    }));
    restore = {
      outageMs: restored.servedAgainAt === null ? null : Math.round(restored.servedAgainAt - restored.loadStoppedAt),
      lostRequests: lost.requests,
      lostMicroUsd: lost.costMicroUsd,
      lostMismatches: mismatches(lostExpected, lostActual),
    };
  }
  const gateway = answerOf(phaseProbes(run, 'rollback').smoke, 'smoke');
  const platform = run.requirePlatform();
  return {
    mode,
    release: release.version,
    notN,
    migrationHead: state.head,
    expectedHead: migrationsOf(mode === 'restore-required' ? release : run.to).head,
    configDiffs,
    spendMismatches: mismatches(expected, after.budgets).map((m) => ({
      ...m,
      stretches: strayStretches(m.id, stretches),
    })),
    spendBasis,
    ...(restore ? { restore } : {}),
    gatewayStatus: gateway.status,
    gatewayVersion: gateway.version,
    consoleStatus: await consoleStatus(platform.endpoints.console, run.config.timeouts.requestMs),
  };
}
