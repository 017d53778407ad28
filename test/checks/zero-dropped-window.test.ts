/** zero-dropped-requests holds only when the ledger spans the whole rollout window (issue 12 item 6). */
import { describe, expect, test } from 'vitest';
import { sentSpan } from '../../src/checks/zero-dropped-requests/gather.ts';
import { judgeZeroDropped } from '../../src/checks/zero-dropped-requests/judge.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LedgerRow } from '../../src/load/types.ts';

const row = (start: number): LedgerRow => ({
  start,
  end: start + 10,
  consumer: 'acme.search.alice',
  kind: 'keep-alive',
  status: 200,
  version: 'v1.8.0',
  replica: 'gateway-v1.8.0-1',
  promptTokens: 10,
  completionTokens: 16,
  costMicroUsd: 270,
  outcome: 'served',
  failureClass: null,
  error: '',
});

/** A load of one request every 10 ms from `from` to `to` (ledger clock). */
function load(from: number, to: number) {
  const ledger = new Ledger();
  for (let t = from; t <= to; t += 10) ledger.append(row(t));
  return { ledger, figures: { ...ledger.summary(), firstFailures: [] } };
}

describe('zero-dropped-requests and the rollout window', () => {
  test('passes when the requests span the whole rollout', () => {
    const { ledger, figures } = load(0, 5000);
    const verdict = judgeZeroDropped({
      load: figures,
      minRequests: 100,
      window: { start: 1000, end: 4000 },
      sent: sentSpan(ledger),
    });
    expect(verdict.passed).toBe(true);
  });

  test('fails when the load started after the rollout (images loaded inside the window, a late start)', () => {
    const { ledger, figures } = load(2000, 5000);
    const verdict = judgeZeroDropped({
      load: figures,
      minRequests: 100,
      window: { start: 1000, end: 4000 },
      sent: sentSpan(ledger),
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe(
      'the ledger does not cover the rollout: requests were due 2000–5000 ms, the rollout ran 1000–4000 ms',
    );
  });

  test('fails when the load stopped before the rollout ended, and when nothing was sent', () => {
    const { ledger, figures } = load(0, 3000);
    expect(
      judgeZeroDropped({ load: figures, minRequests: 100, window: { start: 1000, end: 4000 }, sent: sentSpan(ledger) })
        .passed,
    ).toBe(false);
    const empty = new Ledger();
    const none = judgeZeroDropped({
      load: { ...empty.summary(), firstFailures: [] },
      minRequests: 0,
      window: { start: 1, end: 2 },
      sent: sentSpan(empty),
    });
    expect(none.summary).toContain('requests were due nothing');
  });
});
