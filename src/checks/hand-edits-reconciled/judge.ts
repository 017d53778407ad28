import { fail, pass, type Verdict } from '../check.ts';

export interface HandEditEvidence {
  setting: string;
  chartValue: string | number;
  editedValue: string | number;
  /** the edit took effect before the upgrade (every probe showed it: a refused body, an echoed tag). */
  editTookEffect: boolean;
  /** value in the live configuration after the phase. */
  liveValueAfter: string | number | null;
  /** status of the probe after the phase. */
  probeStatusAfter: number;
  /** the probe after the phase still showed the edit (a body under the chart's limit refused, the edited tag). */
  stillEditedAfter: boolean;
  /** Kubernetes: the upgrade's apply, with the field-manager conflicts the hand edit caused and how they went. */
  apply?: { command: string; conflicts: { manager: string; field: string }[]; forcedConflicts: boolean };
}

/** handEditsReconciled's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeHandEditsReconciled(e: HandEditEvidence): Verdict {
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
}
