import { describe, expect, test } from 'vitest';
import { budgetsPreserved } from '../../src/checks/budgets-preserved/check.ts';
import type { SpendEvidence } from '../../src/checks/budgets-preserved/judge.ts';
import { gatewaySmoke } from '../../src/checks/gateway-smoke/check.ts';
import { handEditsReconciled } from '../../src/checks/hand-edits-reconciled/check.ts';
import { migrationOrdering } from '../../src/checks/migration-ordering/check.ts';
import type { OrderingEvidence } from '../../src/checks/migration-ordering/judge.ts';
import { migrationsComplete } from '../../src/checks/migrations-complete/check.ts';
import { releasePinned } from '../../src/checks/release-pinned/check.ts';
import { zeroDroppedRequests } from '../../src/checks/zero-dropped-requests/check.ts';
import { Ledger } from '../../src/load/ledger.ts';
import type { LedgerRow } from '../../src/load/types.ts';

// Each judge is shown to pass on sound evidence and to fail, for the right reason, when the evidence
// carries exactly the fault its check exists to find.

function servedRow(i: number): LedgerRow {
  return {
    start: 1000 + i,
    end: 1010 + i,
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
  };
}

function figures(ledger: Ledger) {
  return { ...ledger.summary(), firstFailures: [] };
}

describe('zero-dropped-requests', () => {
  test('passes with enough requests and none failed', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 100; i++) ledger.append(servedRow(i));
    const verdict = zeroDroppedRequests.judge({ load: figures(ledger), minRequests: 100 }, 'upgrade');
    expect(verdict.passed).toBe(true);
  });

  test('fails on one reset in the ledger, naming the class', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 100; i++) ledger.append(servedRow(i));
    ledger.append({
      ...servedRow(100),
      status: 0,
      version: '',
      replica: '',
      costMicroUsd: 0,
      outcome: 'failed',
      failureClass: 'reset',
      error: 'ECONNRESET',
    });
    const verdict = zeroDroppedRequests.judge({ load: figures(ledger), minRequests: 100 }, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('1 reset');
  });

  test('fails when the ledger holds fewer requests than the minimum', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 10; i++) ledger.append(servedRow(i));
    const verdict = zeroDroppedRequests.judge({ load: figures(ledger), minRequests: 5000 }, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('at least 5000');
  });
});

describe('budgets-preserved', () => {
  const evidence: SpendEvidence = {
    before: [{ id: 'b-alice', level: 'user', scopeId: 'alice', limitMicroUsd: 1_000_000, spentMicroUsd: 5_000 }],
    after: [{ id: 'b-alice', level: 'user', scopeId: 'alice', limitMicroUsd: 1_000_000, spentMicroUsd: 5_540 }],
    ledgerCost: { 'b-alice': 540 },
    ledgerRequests: { 'b-alice': 2 },
  };

  test('passes when spend after = spend before + ledger cost', () => {
    expect(budgetsPreserved.judge(evidence, 'upgrade').passed).toBe(true);
  });

  test("fails when spend is off by one request's cost", () => {
    const lost = { ...evidence, after: [{ ...evidence.after[0]!, spentMicroUsd: 5_270 }] };
    const verdict = budgetsPreserved.judge(lost, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('off by -270');
  });

  test('fails when a limit changed', () => {
    const changed = { ...evidence, after: [{ ...evidence.after[0]!, limitMicroUsd: 999_999 }] };
    expect(budgetsPreserved.judge(changed, 'upgrade').summary).toContain('limit 1000000 → 999999');
  });
});

describe('migrations-complete', () => {
  const state = {
    kind: 'node-pg-migrate' as const,
    table: 'public.pgmigrations',
    head: '0004_consumer_labels',
    problems: [],
    entries: ['0001_tenants', '0002_budgets_usage', '0003_budget_hierarchy', '0004_consumer_labels'].map((name) => ({
      name,
      appliedAt: new Date(),
      state: 'applied' as const,
    })),
  };

  test('passes at the expected head', () => {
    expect(migrationsComplete.judge({ expectedHead: '0004_consumer_labels', state }, 'upgrade').passed).toBe(true);
  });

  test('fails with the head one short', () => {
    const short = { ...state, head: '0003_budget_hierarchy', entries: state.entries.slice(0, 3) };
    const verdict = migrationsComplete.judge({ expectedHead: '0004_consumer_labels', state: short }, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('migration head is 0003_budget_hierarchy, expected 0004_consumer_labels');
  });

  test('fails on a failed or dirty entry even at the head', () => {
    const dirty = { ...state, problems: ['0004_consumer_labels: dirty'] };
    expect(migrationsComplete.judge({ expectedHead: '0004_consumer_labels', state: dirty }, 'upgrade').passed).toBe(
      false,
    );
  });
});

describe('migration-ordering', () => {
  const good: OrderingEvidence = {
    newVersion: 'v1.8.0',
    migrationsCompletedAt: 10_000,
    newMigrations: [{ name: '0004_consumer_labels', appliedAt: 10_000 }],
    firstServedByNew: { t: 12_000, replica: 'gateway-v1.8.0-1' },
    controlPlaneReady: [{ replica: 'control-plane-v1.8.0-1', t: 10_050 }],
  };

  test('passes when everything of N+1 came after the migrations', () => {
    expect(migrationOrdering.judge(good, 'upgrade').passed).toBe(true);
  });

  test('fails when an N+1 control-plane replica was ready before the migrations ended', () => {
    const early = { ...good, controlPlaneReady: [{ replica: 'control-plane-v1.8.0-1', t: 9_200 }] };
    const verdict = migrationOrdering.judge(early, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('control plane control-plane-v1.8.0-1 reported ready 800 ms before');
  });

  test('fails when an N+1 gateway served before the migrations ended', () => {
    const early = { ...good, firstServedByNew: { t: 9_900, replica: 'gateway-v1.8.0-1' } };
    expect(migrationOrdering.judge(early, 'upgrade').summary).toContain('served a request 100 ms before');
  });
});

describe('release-pinned', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const expected = {
    gateway: { version: 'v1.8.0', digest },
    'control-plane': { version: 'v1.8.0', digest },
    console: { version: 'v1.8.0', digest },
    identity: { version: 'v1.8.0', digest },
  };
  const running = Object.keys(expected).map((component) => ({
    component,
    replica: `${component}-1`,
    version: 'v1.8.0',
    digest,
    ready: true,
  }));

  test('passes when every replica runs the pinned version and digest', () => {
    expect(
      releasePinned.judge({ release: 'v1.8.0', expected, running, digestKind: 'artifact' }, 'upgrade').passed,
    ).toBe(true);
  });

  test("fails when a bundle's sha256 differs from the manifest", () => {
    const drifted = running.map((r) => (r.component === 'console' ? { ...r, digest: `sha256:${'b'.repeat(64)}` } : r));
    const verdict = releasePinned.judge(
      { release: 'v1.8.0', expected, running: drifted, digestKind: 'artifact' },
      'upgrade',
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('console-1: artifact digest sha256:bbbb');
  });

  test('fails when a component is left at the previous version', () => {
    const old = running.map((r) => (r.component === 'identity' ? { ...r, version: 'v1.7.0' } : r));
    expect(
      releasePinned.judge({ release: 'v1.8.0', expected, running: old, digestKind: 'artifact' }, 'upgrade').passed,
    ).toBe(false);
  });
});

describe('hand-edits-reconciled', () => {
  const good = {
    setting: 'gateway.maxRequestBytes',
    chartValue: 10_485_760,
    editedValue: 4096,
    editTookEffect: true,
    liveValueAfter: 10_485_760,
    probeStatusAfter: 200,
    stillEditedAfter: false,
  };
  test('passes when the chart value is back', () =>
    expect(handEditsReconciled.judge(good, 'upgrade').passed).toBe(true));
  test('fails when the hand edit sticks', () => {
    const stuck = { ...good, liveValueAfter: 4096, probeStatusAfter: 413, stillEditedAfter: true };
    expect(handEditsReconciled.judge(stuck, 'upgrade').summary).toContain('is 4096 in the live configuration');
  });
  test('fails when the edit never took effect (the check would prove nothing)', () => {
    expect(handEditsReconciled.judge({ ...good, editTookEffect: false }, 'upgrade').passed).toBe(false);
  });
  test('fails when the config reads the chart value but the gateway still echoes the edited tag', () => {
    const tag = {
      ...good,
      setting: 'gateway.responseTag',
      chartValue: 'chart',
      editedValue: 'hand-edit-x',
      liveValueAfter: 'chart',
    };
    expect(handEditsReconciled.judge(tag, 'upgrade').passed).toBe(true);
    const stale = { ...tag, stillEditedAfter: true };
    expect(handEditsReconciled.judge(stale, 'upgrade').summary).toContain('still behaves as hand-edited');
  });
});

describe('gateway-smoke', () => {
  test('fails when answered by the previous version', () => {
    const verdict = gatewaySmoke.judge(
      { status: 200, version: 'v1.7.0', replica: 'g-1', expectedVersion: 'v1.8.0' },
      'upgrade',
    );
    expect(verdict.passed).toBe(false);
  });
  test('fails on a 503', () => {
    expect(
      gatewaySmoke.judge({ status: 503, version: 'v1.8.0', replica: 'g-1', expectedVersion: 'v1.8.0' }, 'upgrade')
        .passed,
    ).toBe(false);
  });
  test('passes on a 200 from the expected version', () => {
    expect(
      gatewaySmoke.judge({ status: 200, version: 'v1.8.0', replica: 'g-1', expectedVersion: 'v1.8.0' }, 'upgrade')
        .passed,
    ).toBe(true);
  });
});
