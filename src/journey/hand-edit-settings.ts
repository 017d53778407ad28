import type { RunState } from '../checks/run-state.ts';
import { handEditValue } from '../common/hand-edit-value.ts';
import type { handEditSettingIds } from '../config/schema.ts';
import { probeGateway } from '../load/probe.ts';
import type { LiveEdit } from '../targets/target.ts';
import { probeConsumer } from './consumers.ts';

/** A body between the edited and the chart's limit: refused while the edit holds, accepted once reconciled. */
export const probePadBytes = 8192;

/**
 * A chart-owned, live-reloadable setting a run edits by hand, and how a request through the gateway shows the
 * edit: the reference platform has two (CONTRACT.md "Rendered configuration"). `request-limit` is the product's
 * own example (a 4 KB request limit: fine on upcert's own cluster, harmful on a shared one); `response-tag`
 * changes nothing but the `x-config-tag` header the gateway echoes, the default on a customer's cluster.
 */
export interface HandEditSetting {
  id: HandEditSettingId;
  component: LiveEdit['component'];
  path: string;
  editedValue(run: RunState): string | number;
  /** One probe on a fresh connection: whether the replica that answered runs with the edit. */
  showsEdit(
    run: RunState,
    edited: string | number,
    phase?: 'upgrade' | 'rollback',
  ): Promise<{ edited: boolean; status: number }>;
}

export type HandEditSettingId = (typeof handEditSettingIds)[number];

function opts(run: RunState, phase: 'upgrade' | 'rollback' | undefined) {
  return {
    prices: run.requireSeeded().prices,
    timeoutMs: run.config.timeouts.requestMs,
    ...(phase ? { ledger: run.ledger(phase) } : {}),
  };
}

export const handEditSettings: Record<HandEditSettingId, HandEditSetting> = {
  'request-limit': {
    id: 'request-limit',
    component: 'gateway',
    path: 'gateway.maxRequestBytes',
    editedValue: (run) => handEditValue('request-limit', run.runId),
    async showsEdit(run, _edited, phase) {
      const gateway = run.requirePlatform().endpoints.gateway;
      const expect = phase ? (200 as const) : (413 as const);
      const a = await probeGateway(gateway, probeConsumer(run), {
        ...opts(run, phase),
        padBytes: probePadBytes,
        expect,
      });
      return { edited: a.status === 413, status: a.status };
    },
  },
  'response-tag': {
    id: 'response-tag',
    component: 'gateway',
    path: 'gateway.responseTag',
    editedValue: (run) => handEditValue('response-tag', run.runId),
    async showsEdit(run, edited) {
      const gateway = run.requirePlatform().endpoints.gateway;
      const a = await probeGateway(gateway, probeConsumer(run), { ...opts(run, undefined), path: '/v1/models' });
      return { edited: a.status === 200 && a.configTag === edited, status: a.status };
    },
  },
};
