import { describe, expect, test } from 'vitest';
import { backupRestorable } from '../../src/checks/backup-restorable/check.ts';
import { strayStretches } from '../../src/checks/evidence/spend-window.ts';
import { consumersPreserved, guardrailsPreserved } from '../../src/checks/preserved/check.ts';
import { rollbackClean } from '../../src/checks/rollback-clean/check.ts';
import type { RollbackEvidence } from '../../src/checks/rollback-clean/judge.ts';
import { diffFingerprints } from '../../src/seed/fingerprint-diff.ts';
import { fingerprintRecord, makeFingerprint } from '../../src/seed/fingerprint-record.ts';

// The preservation, backup and rollback judges fail, for the right reason, on exactly the fault they guard.

const zoe = {
  groupId: 'search-core',
  name: 'Zoë Ångström',
  email: 'zoe@acme.test',
  labels: { team: 'search', tier: 'gold' },
};

function fingerprint(user: Record<string, unknown>, spent = 5_000) {
  return makeFingerprint('api', 'v1.8.0', [
    fingerprintRecord('user', 'zoe', user, 'v1.8.0'),
    fingerprintRecord('budget', 'b-zoe', { level: 'user', scopeId: 'zoe', limitMicroUsd: 1_000_000 }, 'v1.8.0', spent),
  ]);
}

describe('consumers-preserved', () => {
  test('passes when nothing changed', () => {
    const diffs = diffFingerprints(fingerprint(zoe), fingerprint(structuredClone(zoe)));
    expect(consumersPreserved.judge({ records: 1, diffs, probes: [] }, 'upgrade').passed).toBe(true);
  });

  test("fails when a consumer's label was dropped, naming the label", () => {
    const dropped = { ...zoe, labels: { team: 'search' } };
    const diffs = diffFingerprints(fingerprint(zoe), fingerprint(dropped));
    const verdict = consumersPreserved.judge({ records: 1, diffs, probes: [] }, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('user zoe: labels.tier "gold" → undefined');
  });

  test('fails when a non-ASCII name was mangled', () => {
    const diffs = diffFingerprints(fingerprint(zoe), fingerprint({ ...zoe, name: 'Zo? ?ngstr?m' }));
    expect(consumersPreserved.judge({ records: 1, diffs, probes: [] }, 'upgrade').summary).toContain('Zoë Ångström');
  });

  test('fails when a key no longer authenticates, though the records are identical', () => {
    const verdict = consumersPreserved.judge(
      { records: 1, diffs: [], probes: ['key key-1 of acme.search.zoe no longer authenticates (401)'] },
      'upgrade',
    );
    expect(verdict.passed).toBe(false);
  });
});

describe('guardrails-preserved', () => {
  test('fails when the guardrail no longer blocks', () => {
    const verdict = guardrailsPreserved.judge(
      { records: 4, diffs: [], probes: ['a prompt the guardrails block answered 200, not 403'] },
      'upgrade',
    );
    expect(verdict.passed).toBe(false);
  });
});

describe('backup-restorable', () => {
  const evidence = { dumpFile: 'backup.dump', dumpBytes: 1000, scratch: 'embedded PostgreSQL 15' };
  test('passes when the restored fingerprint equals the live one', () => {
    const live = fingerprint(zoe);
    const restored = fingerprint(structuredClone(zoe));
    const diffs = diffFingerprints(live, restored, { spend: true });
    expect(
      backupRestorable.judge(
        { ...evidence, liveFingerprint: live.sha256, restoredFingerprint: restored.sha256, diffs },
        'upgrade',
      ).passed,
    ).toBe(true);
  });
  test('fails when the restore lost spend', () => {
    const live = fingerprint(zoe, 5_000);
    const restored = fingerprint(zoe, 0);
    const diffs = diffFingerprints(live, restored, { spend: true });
    const verdict = backupRestorable.judge(
      { ...evidence, liveFingerprint: live.sha256, restoredFingerprint: restored.sha256, diffs },
      'upgrade',
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('budget b-zoe spentMicroUsd');
  });
});

describe('rollback-clean', () => {
  const clean: RollbackEvidence = {
    mode: 'restore-required',
    release: 'v1.8.0',
    notN: [],
    migrationHead: '0004_consumer_labels',
    expectedHead: '0004_consumer_labels',
    configDiffs: [],
    spendMismatches: [],
    spendBasis: "backup's spend + 100 requests served after the restore",
    restore: { outageMs: 4000, lostRequests: 5000, lostMicroUsd: 900_000, lostMismatches: [] },
    gatewayStatus: 200,
    gatewayVersion: 'v1.8.0',
    consoleStatus: 302,
  };

  test('passes and reports what the restore lost', () => {
    const verdict = rollbackClean.judge(clean, 'rollback');
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toContain('restore lost 5000 requests (900000 µ$), outage 4000 ms');
  });

  test('fails when N cannot run on the schema it was rolled back onto (no restore)', () => {
    const broken = {
      ...clean,
      mode: 'schema-compatible' as const,
      gatewayStatus: 503,
      gatewayVersion: '',
      notN: ['control-plane-v1.8.0-7 runs (none), not v1.8.0'],
    };
    const verdict = rollbackClean.judge(broken, 'rollback');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('gateway answered 503');
  });

  test("fails when the migration head is not N's after a restore", () => {
    expect(rollbackClean.judge({ ...clean, migrationHead: '0006_guardrail_kinds' }, 'rollback').summary).toContain(
      'migration head 0006_guardrail_kinds, expected 0004_consumer_labels',
    );
  });

  test('says in which stretch of the run the spend went astray', () => {
    const budgets = (spent: number) => [
      { id: 'b-zoe', level: 'user', scopeId: 'zoe', limitMicroUsd: 1e9, spentMicroUsd: spent },
    ];
    // upgrade exact (+500 both), the probes between the phases charged nothing of their 74 µ$, rollback exact
    const stretches = [
      { label: 'during the upgrade', before: budgets(1_000), after: budgets(1_500), ledgerCost: { 'b-zoe': 500 } },
      {
        label: 'between the upgrade and the rollback',
        before: budgets(1_500),
        after: budgets(1_500),
        ledgerCost: { 'b-zoe': 74 },
      },
      { label: 'during the rollback', before: budgets(1_500), after: budgets(1_800), ledgerCost: { 'b-zoe': 300 } },
    ];
    const stray = strayStretches('b-zoe', stretches);
    expect(stray).toEqual(["between the upgrade and the rollback (spend +0 µ$ against the ledger's +74 µ$)"]);
    const fell = { ...stretches[2]!, after: budgets(1_000) };
    expect(strayStretches('b-zoe', [fell])).toEqual([
      "during the rollback (spend -500 µ$ against the ledger's +300 µ$)",
    ]);
    expect(strayStretches('b-zoe', [stretches[0]!, stretches[2]!])).toEqual([]);
    const off = {
      ...clean,
      mode: 'schema-compatible' as const,
      restore: undefined,
      spendBasis: 'pre-upgrade spend + 9 requests served since (874 µ$)',
      spendMismatches: [{ id: 'b-zoe', expected: 1_874, actual: 1_800, stretches: stray }],
    };
    expect(rollbackClean.judge(off, 'rollback').summary).toContain(
      "budget b-zoe: spend 1800 µ$, expected 1874 µ$ (pre-upgrade spend + 9 requests served since (874 µ$); off between the upgrade and the rollback (spend +0 µ$ against the ledger's +74 µ$))",
    );
  });

  test("fails when spend after the restore is not the backup's plus the ledger's", () => {
    const off = { ...clean, spendMismatches: [{ id: 'b-zoe', expected: 5_270, actual: 5_000 }] };
    expect(rollbackClean.judge(off, 'rollback').summary).toContain('budget b-zoe: spend 5000 µ$, expected 5270 µ$');
  });
});
