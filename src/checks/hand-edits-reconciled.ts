import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, HandEditEvidence } from './run.ts';

export const handEditsReconciled = defineCheck<CheckRun, HandEditEvidence>({
  id: 'hand-edits-reconciled',
  description: "the hand-edited chart-owned setting is back to the chart's value; tenant data untouched",
  phases: ['upgrade'],
  gather: (run, phase) => run.handEdit(phase),
  judge: (e) => {
    const evidence = { ...e };
    if (!e.editTookEffect) {
      return fail(
        `the hand edit of ${e.setting} to ${e.editedValue} never took effect, so its reconcile proves nothing`,
        evidence,
      );
    }
    if (e.liveValueAfter !== e.chartValue) {
      return fail(
        `${e.setting} is ${e.liveValueAfter} in the live configuration, the chart says ${e.chartValue}`,
        evidence,
      );
    }
    if (e.stillEditedAfter) {
      return fail(
        `${e.setting}: the gateway still behaves as hand-edited (probe status ${e.probeStatusAfter})`,
        evidence,
      );
    }
    return pass(`${e.setting} back to ${e.chartValue} (hand edit ${e.editedValue} reset by the upgrade)`, evidence);
  },
});
