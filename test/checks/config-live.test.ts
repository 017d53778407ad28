import { describe, expect, test } from 'vitest';
import { type ConfigLiveEvidence, judgeConfigLive } from '../../src/checks/config-live/judge.ts';

// config-live judged on hand-made evidence: two gateway replicas, five changes, each enforced by both well
// within 10 s; then the faults the check exists to find (a replica that never got a change, an API that
// refused one, an undo that left records behind).
const replicas = ['gateway-v1.8.0-1', 'gateway-v1.8.0-2'];
const enforced = (ms: number) => replicas.map((replica, i) => ({ replica, ms: ms + i * 100, answers: 3, last: '200' }));

function sound(): ConfigLiveEvidence {
  return {
    boundMs: 10_000,
    replicas,
    changes: [
      {
        change: 'create a consumer and key',
        when: 'before the rollout',
        appliedAt: 1,
        replicas: enforced(40),
        strangers: [],
      },
      { change: 'add a guardrail rule', when: 'mid-rollout', appliedAt: 2, replicas: enforced(30), strangers: [] },
      {
        change: 'create a consumer and key',
        when: 'after the rollout',
        appliedAt: 3,
        replicas: enforced(300),
        strangers: [],
      },
      { change: 'move a route', when: 'after the rollout', appliedAt: 4, replicas: enforced(450), strangers: [] },
      { change: 'tighten a budget', when: 'after the rollout', appliedAt: 5, replicas: enforced(280), strangers: [] },
      { change: 'revoke a key', when: 'after the rollout', appliedAt: 6, replicas: enforced(310), strangers: [] },
    ],
    undoProblems: [],
  };
}

describe('config-live', () => {
  test('passes when every replica enforced every change within the bound, naming the slowest of each', () => {
    const verdict = judgeConfigLive(sound());
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toContain('6 changes reached all 2 gateway replicas within 10.0 s');
    expect(verdict.summary).toContain('move a route (after the rollout): slowest gateway-v1.8.0-2 0.6 s');
  });

  test('fails a replica that never enforced a change, naming the change, the replica and its last answer', () => {
    const e = sound();
    e.changes[5]!.replicas[1] = { replica: 'gateway-v1.8.0-2', ms: null, answers: 212, last: '200' };
    const verdict = judgeConfigLive(e);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe(
      'revoke a key (after the rollout): replica gateway-v1.8.0-2 did not enforce it within 10.0 s (212 answers, the last 200)',
    );
  });

  test('fails a change enforced later than the bound, one the API refused, and an undo that left records', () => {
    const e = sound();
    e.changes[3]!.replicas[0]!.ms = 12_500;
    e.changes[1] = { ...e.changes[1]!, appliedAt: null, error: 'POST /api/v1/guardrails → 503', replicas: [] };
    e.undoProblems = ['delete seeded tenants: 1 failed: user live-upgrade-1a2b3c-second: 409'];
    const verdict = judgeConfigLive(e);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain(
      'add a guardrail rule (mid-rollout): the API call failed: POST /api/v1/guardrails → 503',
    );
    expect(verdict.summary).toContain('move a route (after the rollout): replica gateway-v1.8.0-1 did not enforce it');
    expect(verdict.summary).toContain('undo: delete seeded tenants: 1 failed');
  });
});
