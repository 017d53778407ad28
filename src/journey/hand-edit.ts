import type { RunState } from '../checks/run-state.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { waitFor } from '../common/wait-for.ts';
import { safetyLimitsOf } from '../targets/safety.ts';
import { canEditLive } from '../targets/target.ts';
import { type HandEditSetting, handEditSettings } from './hand-edit-settings.ts';

const log = createLogger('hand-edit');

/**
 * The setting this run edits: the configuration's choice, else the one the target declares (a customer's
 * cluster: the harmless `response-tag`), else the product's own example (`request-limit`).
 */
export function handEditSettingOf(run: RunState): HandEditSetting {
  const limits = run.platform ? safetyLimitsOf(run.platform) : undefined;
  return handEditSettings[run.config.handEdit.setting ?? limits?.handEdit?.setting ?? 'request-limit'];
}

/**
 * How long the edit may take to reach every replica: the configuration's `timeouts.handEditSeconds`, else the
 * target's (a ConfigMap mounted in a pod refreshes after the kubelet sync period plus its cache TTL), else the
 * ordinary settle deadline.
 */
export function handEditDeadlineSeconds(run: RunState): number {
  const limits = run.platform ? safetyLimitsOf(run.platform) : undefined;
  return (
    run.config.timeouts.handEditSeconds ??
    limits?.handEdit?.deadlineSeconds ??
    run.config.timeouts.settleConditionSeconds
  );
}

/**
 * Step 4: change one chart-owned setting on the live system (a ConfigMap edit) and prove it took effect, so
 * that its reset by the upgrade means something.
 */
export async function editChartOwnedSetting(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const noEdit = run.unsupported['live-edit'];
  if (noEdit && run.profile.unsupported['live-edit']) {
    // the platform has no chart-owned setting to edit: hand-edits-reconciled is not-supported, said at the start
    run.timeline.mark('hand-edit-skipped', noEdit);
    log.info(`no hand edit: ${noEdit}`);
    return;
  }
  if (!canEditLive(platform)) {
    throw new StepFailedError(`hand edit: the ${run.config.target} target cannot edit live configuration`);
  }
  const setting = handEditSettingOf(run);
  const { component, path } = setting;
  const chartValue = (await platform.readLive(component, path)) as string | number;
  const editedValue = setting.editedValue(run);
  await platform.editLive({ component, path, value: editedValue });
  run.timeline.mark('hand-edit', `${path}: ${chartValue} → ${editedValue}`);
  const deadlineSeconds = handEditDeadlineSeconds(run);
  // Every replica must show the edit: several probes on fresh connections reach them all.
  const tookEffect = await waitFor(
    `hand edit of ${path} to take effect`,
    async () => {
      for (let i = 0; i < 6; i++) if (!(await setting.showsEdit(run, editedValue)).edited) return false;
      return true;
    },
    deadlineSeconds * 1000,
  ).then(
    () => true,
    () => false,
  );
  run.handEdit = { id: setting.id, component, setting: path, chartValue, editedValue, editTookEffect: tookEffect };
}

/** After a failure or Ctrl-C before the upgrade: the hand edit is put back (even with --keep); errors are logged. */
export async function revertHandEdit(run: RunState): Promise<void> {
  const platform = run.platform;
  if (!platform || !canEditLive(platform) || !platform.revertLiveEdits) return;
  try {
    const reverted = await platform.revertLiveEdits();
    if (reverted.length > 0) log.info(`hand edit reverted on ${reverted.join(', ')}`);
  } catch (error) {
    log.error(`could not revert the hand edit: ${(error as Error).message}`);
  }
}
