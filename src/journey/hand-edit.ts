import { StepFailedError } from '../common/errors.ts';
import { canEditLive } from '../targets/target.ts';
import { probeConsumer } from './consumers.ts';
import { probeGateway } from './probe.ts';
import type { RunState } from './run-state.ts';
import { waitFor } from './wait.ts';

/** The chart-owned setting the run edits by hand: the product's own example. */
export const handEditSetting = { component: 'gateway', path: 'gateway.maxRequestBytes', editedValue: 4096 } as const;
/** A body between the edited and the chart's limit: refused while the edit holds, accepted once reconciled. */
export const probePadBytes = 8192;

/**
 * Step 4: change one chart-owned setting on the live system (a ConfigMap edit) and prove it took effect, so
 * that its reset by the upgrade means something.
 */
export async function editChartOwnedSetting(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  if (!canEditLive(platform)) {
    throw new StepFailedError(`hand edit: the ${run.config.target} target cannot edit live configuration`);
  }
  const { component, path, editedValue } = handEditSetting;
  const chartValue = Number(await platform.readLive(component, path));
  await platform.editLive({ component, path, value: editedValue });
  run.timeline.mark('hand-edit', `${path}: ${chartValue} → ${editedValue}`);
  const who = probeConsumer(run);
  const seeded = run.requireSeeded();
  // Every replica must refuse the padded body: several probes on fresh connections reach them all.
  const tookEffect = await waitFor(
    `hand edit of ${path} to take effect`,
    async () => {
      for (let i = 0; i < 6; i++) {
        const answer = await probeGateway(platform.endpoints.gateway, who, {
          prices: seeded.prices,
          padBytes: probePadBytes,
          timeoutMs: run.config.timeouts.requestMs,
        });
        if (answer.status !== 413) return false;
      }
      return true;
    },
    run.config.timeouts.settleConditionSeconds * 1000,
  ).then(
    () => true,
    () => false,
  );
  run.handEdit = { setting: path, chartValue, editedValue, editTookEffect: tookEffect };
}
