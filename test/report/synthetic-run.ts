import type { RolloutEvent } from '../../src/common/rollout-event.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LedgerRow } from '../../src/load/types.ts';
import type { TimelineSource } from '../../src/report/timeline-data.ts';

const t0 = 1_800_000_000_000;

function row(start: number, version: string, over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    start,
    end: start + 20,
    consumer: 'acme.search.zoe',
    kind: 'keep-alive',
    status: 200,
    version,
    replica: `gateway-${version}-1`,
    promptTokens: 10,
    completionTokens: 10,
    costMicroUsd: 100,
    outcome: 'served',
    failureClass: null,
    error: '',
    ...over,
  };
}

/**
 * A run as the report step sees it, made by hand: an upgrade from v1.7.0 to v1.8.0 under 40 requests per
 * 100 ms for 10 s, traffic moving to v1.8.0 between 4 s and 6 s, one reset at 5 s, a stall (the requests meant
 * to start between 7 s and 7.3 s went out 400 ms late and took 2 s), and the rollout's events.
 */
export function syntheticRun(): TimelineSource {
  const upgrade = new Ledger();
  for (let ms = 0; ms < 10_000; ms += 2.5) {
    const share = Math.min(1, Math.max(0, (ms - 4000) / 2000));
    const version = (ms * 7919) % 1000 < share * 1000 ? 'v1.8.0' : 'v1.7.0';
    const stall = ms >= 7000 && ms < 7300 ? { intended: t0 + ms, start: t0 + ms + 400, end: t0 + ms + 2000 } : {};
    if (ms % 100 === 50)
      upgrade.append(row(t0 + ms, version, { status: 429, outcome: 'refused-as-expected', ...stall }));
    else upgrade.append(row(t0 + ms, version, stall));
  }
  upgrade.append(
    row(t0 + 5000, '', { status: 0, outcome: 'failed', failureClass: 'reset', error: 'ECONNRESET', replica: '' }),
  );
  const gw = (t: number, kind: string, replica: string, version: string): RolloutEvent => ({
    t: t0 + t,
    kind,
    component: 'gateway',
    replica,
    version,
  });
  const events: RolloutEvent[] = [
    { t: t0 - 2000, kind: 'install-started', detail: 'v1.7.0' },
    { t: t0 - 500, kind: 'install-complete', detail: 'v1.7.0' },
    { t: t0 - 10, kind: 'load-started', detail: 'upgrade' },
    { t: t0 + 3000, kind: 'upgrade-started', detail: 'v1.7.0 → v1.8.0' },
    gw(3010, 'replica-created', 'gateway-v1.8.0-3', 'v1.8.0'),
    gw(3900, 'replica-ready', 'gateway-v1.8.0-3', 'v1.8.0'),
    gw(3900, 'endpoint-added', 'gateway-v1.8.0-3', 'v1.8.0'),
    gw(3905, 'sigterm', 'gateway-v1.7.0-1', 'v1.7.0'),
    gw(4905, 'endpoint-removed', 'gateway-v1.7.0-1', 'v1.7.0'),
    gw(5200, 'replica-exited', 'gateway-v1.7.0-1', 'v1.7.0'),
    { t: t0 + 3500, kind: 'migration-head', detail: { head: '0004_consumer_labels', problems: [] } },
    { t: t0 + 6000, kind: 'upgrade-complete', detail: 'v1.8.0' },
    { t: t0 + 10_050, kind: 'load-stopped', detail: 'upgrade' },
  ];
  return {
    runId: '20261127T000000Z-v1.7.0-v1.8.0',
    from: { name: 'v1.7.0' },
    to: { name: 'v1.8.0' },
    config: { target: 'local' },
    timeline: { events },
    rollouts: new Map([['upgrade', { start: t0 + 3000, end: t0 + 6000 }]]),
    ledgers: new Map([['upgrade', upgrade]]),
    results: [{ id: 'gateway-smoke', phase: 'upgrade', status: 'passed', summary: 'answered by v1.8.0' }],
    stepFailures: [],
  };
}
