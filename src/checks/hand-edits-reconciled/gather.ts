import type { Phase } from '../../release/manifest.ts';
import { canEditLive, canReportApplies } from '../../targets/target.ts';
import { phaseProbes } from '../evidence/phase-probes.ts';
import type { RunState } from '../run-state.ts';
import type { HandEditEvidence } from './judge.ts';

/** The live value after the phase, how a body between the two limits fared after it, and the upgrade's apply. */
export async function gatherHandEdit(run: RunState, phase: Phase): Promise<HandEditEvidence> {
  const edit = run.handEdit;
  if (!edit) throw new Error('no hand edit was made');
  const platform = run.requirePlatform();
  const live = canEditLive(platform)
    ? ((await platform.readLive(edit.component, edit.setting)) as string | number)
    : null;
  const answer = phaseProbes(run, phase).handEdit;
  if (!answer) throw new Error('no hand-edit probe was sent');
  if ('error' in answer) throw new Error(answer.error);
  const apply = canReportApplies(platform)
    ? platform.applyRecords().findLast((r) => r.action === (phase === 'rollback' ? 'rollback' : 'upgrade'))
    : undefined;
  return {
    ...edit,
    liveValueAfter: live,
    probeStatusAfter: answer.status,
    stillEditedAfter: answer.edited,
    ...(apply
      ? { apply: { command: apply.command, conflicts: apply.conflicts, forcedConflicts: apply.forcedConflicts } }
      : {}),
  };
}
