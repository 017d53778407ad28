import type { HandEditEvidence, SmokeEvidence } from '../checks/run.ts';
import type { Phase } from '../release/manifest.ts';
import { canEditLive, canReportApplies } from '../targets/target.ts';
import { probeConsumer } from './consumers.ts';
import { type HandEditSettingId, handEditSettings } from './hand-edit-settings.ts';
import { probeGateway } from './probe.ts';
import type { RunState } from './run-state.ts';

/** gateway-smoke: one chat completion through the gateway, which must be answered by the phase's release. */
export async function smoke(run: RunState, phase: Phase): Promise<SmokeEvidence> {
  const seeded = run.seeded;
  const expectedVersion = run.expectedRelease(phase).version;
  if (!seeded) throw new Error('no tenants to smoke-test with');
  const answer = await probeGateway(run.requirePlatform().endpoints.gateway, probeConsumer(run), {
    prices: seeded.prices,
    timeoutMs: run.config.timeouts.requestMs,
    ledger: run.ledger(phase),
    expect: 200,
  });
  return {
    status: answer.status,
    version: answer.version,
    replica: answer.replica,
    expectedVersion,
    ...(answer.error ? { error: answer.error } : {}),
  };
}

/** hand-edits-reconciled: the live value after the phase, and how a body between the two limits fares now. */
export async function handEditAfter(run: RunState, phase: Phase): Promise<HandEditEvidence> {
  const edit = run.handEdit;
  if (!edit) throw new Error('no hand edit was made');
  const platform = run.requirePlatform();
  const setting = handEditSettings[edit.id as HandEditSettingId];
  const live = canEditLive(platform)
    ? ((await platform.readLive(setting.component, setting.path)) as string | number)
    : null;
  const answer = await setting.showsEdit(run, edit.editedValue, phase === 'rollback' ? 'rollback' : 'upgrade');
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
