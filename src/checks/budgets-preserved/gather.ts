import type { Phase } from '../../release/manifest.ts';
import { costInWindow } from '../evidence/spend-window.ts';
import type { RunState } from '../run-state.ts';
import type { SpendEvidence } from './judge.ts';

/** Evidence for budgets-preserved: spend read before and after the phase's load, and the ledger's cost in between. */
export async function gatherSpend(run: RunState, phase: Phase): Promise<SpendEvidence> {
  const reading = run.spend.get(phase);
  if (!reading?.after) throw new Error(`no spend reading around the ${phase} phase`);
  const { before, after } = reading;
  const cost = costInWindow(run, before.budgets, before.t, after.t);
  return {
    before: before.budgets,
    after: after.budgets,
    ledgerCost: cost.byBudget,
    ledgerRequests: cost.requestsByBudget,
  };
}
