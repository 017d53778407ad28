import { describe, expect, test } from 'vitest';
import { latencyHeldEvidence } from '../../src/checks/latency-held/gather.ts';
import { judgeLatencyHeld } from '../../src/checks/latency-held/judge.ts';
import { upcertConfigSchema } from '../../src/config/schema.ts';
import { Ledger } from '../../src/load/ledger.ts';

// latency-held is judged on a ledger built by hand: 100 requests a second for 5 s of steady load, then a
// rollout window of 10 s (the rollout's events from +5 s to +13 s, 2 s of settle). Latency counts from the
// intended start; a held request goes late and shows it.
const t0 = 1_000_000;
const rollout = { start: t0 + 5000, end: t0 + 13_000 };
const events = [
  { t: t0 + 5010, kind: 'replica-created', component: 'gateway', replica: 'gateway-v1.8.0-1', version: 'v1.8.0' },
];
const thresholds = upcertConfigSchema.parse({}).thresholds.latencyHeld;

function ledgerWith(latency: (intended: number) => number, failed: (intended: number) => boolean = () => false) {
  const ledger = new Ledger();
  for (let i = 0; i < 1500; i++) {
    const intended = t0 + i * 10;
    const ms = latency(intended);
    const bad = failed(intended);
    ledger.append({
      intended,
      start: intended + Math.max(0, ms - 20),
      end: intended + ms,
      consumer: 'acme.search.alice',
      kind: i % 7 === 0 ? 'stream' : 'keep-alive',
      status: bad ? 0 : 200,
      version: 'v1.8.0',
      replica: `gateway-v1.8.0-${i % 2}`,
      promptTokens: 10,
      completionTokens: 16,
      costMicroUsd: bad ? 0 : 270,
      outcome: bad ? 'failed' : 'served',
      failureClass: bad ? 'reset' : null,
      error: bad ? 'ECONNRESET' : '',
    });
  }
  return ledger;
}

const judge = (ledger: Ledger, over: Partial<Parameters<typeof latencyHeldEvidence>[0]> = {}) =>
  judgeLatencyHeld(
    latencyHeldEvidence({
      ledger,
      rows: ledger.size,
      rollout,
      events,
      settleMs: 2000,
      steadyMs: 5000,
      thresholds,
      ...over,
    }),
  );

const normal = (intended: number) => 8 + (intended % 13);

describe('latency-held', () => {
  test('passes a rollout as smooth as the steady window, naming every threshold with its measured value', () => {
    const verdict = judge(ledgerWith(normal));
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toContain('p(99) 20 ms < max(5x steady 20 ms = 100 ms, 3.00 s) = 3.00 s');
    expect(verdict.summary).toContain('max 20 ms < 5.00 s');
    expect(verdict.summary).toContain('worst 1.00 s window 100%');
    expect(verdict.summary).toContain('rollout window 10.0 s, 999 requests');
  });

  test('fails an 8-second stall of 3 % of the requests, though every one of them was served', () => {
    const stalled = (t: number) => (t >= t0 + 7000 && t < t0 + 8000 && t % 3 === 0 ? 8000 : normal(t));
    const verdict = judge(ledgerWith(stalled));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(/^p\(99\) 8\.00 s NOT < max\(5x steady 20 ms = 100 ms, 3\.00 s\) = 3\.00 s/);
    expect(verdict.summary).toContain('max 8.00 s NOT < 5.00 s');
    expect(verdict.summary).toContain('slowest 8.00 s');
  });

  test('fails a rollout whose p99 is six times the steady p99 above the 500 ms floor', () => {
    const verdict = judge(
      ledgerWith((t) => (t < rollout.start ? 100 + (t % 13) : t % 50 === 0 ? 700 : 100)),
      {
        thresholds: upcertConfigSchema.parse({ thresholds: { latencyHeld: { latency: ['p(99) < 5x steady'] } } })
          .thresholds.latencyHeld,
      },
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('p(99) 700 ms NOT < 5x steady 112 ms = 560 ms');
  });

  test('fails a second in which fewer than a quarter of the offered requests were served', () => {
    const verdict = judge(ledgerWith(normal, (t) => t >= t0 + 9000 && t < t0 + 10_000 && (t / 10) % 10 !== 0));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(
      /worst 1\.00 s window 10% \(10 served of 100 offered, 4\.0 s into the rollout window\) NOT >= 25%/,
    );
  });

  test('is not supported without load through the rollout, or with a steady window under 5 s', () => {
    const ledger = ledgerWith(normal);
    expect(() => judge(ledger, { withoutLoad: 'a restore-required rollback runs without load' })).toThrow(
      'no load through the rollout: a restore-required rollback runs without load',
    );
    expect(() => judge(ledger, { steadyMs: 2000 })).toThrow('the steady window is 2000 ms');
  });
});

describe('thresholds configuration', () => {
  test('names the threshold that does not parse', () => {
    const parsed = upcertConfigSchema.safeParse({ thresholds: { latencyHeld: { throughput: ['every 1s > 80'] } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['thresholds', 'latencyHeld', 'throughput', 0]);
    expect(parsed.error?.issues[0]?.message).toContain('every 1s >= 80% offered');
  });
});
