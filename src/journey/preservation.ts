import type { RecordDiff } from '../checks/run.ts';
import type { Phase } from '../release/manifest.ts';
import { describeDifference, diffFingerprints, type FingerprintDifference } from '../seed/index.ts';
import { blockedConsumer, probeConsumer } from './consumers.ts';
import { probeGateway } from './probe.ts';
import type { RunState } from './run-state.ts';
import { fingerprints } from './seed-step.ts';

type Kind = 'consumers' | 'providers' | 'guardrails';
const recordKinds: Record<Kind, readonly string[]> = {
  consumers: ['organization', 'project', 'group', 'user', 'key'],
  providers: ['provider', 'route'],
  guardrails: ['guardrail'],
};

/** Differences between the pre-upgrade fingerprints and now, from the API and the database (once per phase). */
export function currentDiffs(run: RunState, phase: Phase) {
  const cacheKey = `preservation-diffs:${phase}`;
  let pending = run.memo.get(cacheKey) as
    | Promise<{ diffs: FingerprintDifference[]; counts: Map<string, number> }>
    | undefined;
  if (!pending) {
    pending = (async () => {
      const before = run.before;
      if (!before) throw new Error('no pre-upgrade fingerprint');
      const now = await fingerprints(run);
      const seen = new Set<string>();
      const diffs: FingerprintDifference[] = [];
      for (const d of [...diffFingerprints(before.api, now.api), ...diffFingerprints(before.database, now.database)]) {
        const key = `${d.kind}/${d.id}/${d.field}`;
        if (!seen.has(key)) diffs.push(d);
        seen.add(key);
      }
      const counts = new Map<string, number>();
      for (const r of before.api.records) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
      return { diffs, counts };
    })();
    run.memo.set(cacheKey, pending);
  }
  return pending;
}

/**
 * Evidence for consumers-, providers- and guardrails-preserved: every difference in the records of that kind,
 * and functional probes (every key still authenticates; every route still answers; the guardrail still blocks).
 */
export async function preservation(
  run: RunState,
  kind: Kind,
  phase: Phase,
): Promise<{ diffs: RecordDiff[]; probes: string[]; records: number }> {
  const { diffs, counts } = await currentDiffs(run, phase);
  const kinds = recordKinds[kind];
  const mine = diffs.filter((d) => kinds.includes(d.kind));
  const records = kinds.reduce((n, k) => n + (counts.get(k) ?? 0), 0);
  const probes = await functionalProbes(run, kind, phase);
  return {
    diffs: mine.map((d) => ({ ...d, field: d.field === '(record)' ? describeDifference(d) : d.field })),
    probes,
    records,
  };
}

async function functionalProbes(run: RunState, kind: Kind, phase: Phase): Promise<string[]> {
  const seeded = run.requireSeeded();
  const gateway = run.requirePlatform().endpoints.gateway;
  const common = { prices: seeded.prices, timeoutMs: run.config.timeouts.requestMs, ledger: run.ledger(phase) };
  const problems: string[] = [];
  if (kind === 'consumers') {
    for (const key of Object.values(seeded.keys)) {
      const who = { consumer: key.consumer, key: key.secret, model: '', prompt: '' };
      const answer = await probeGateway(gateway, who, { ...common, ledger: undefined, path: '/v1/models' });
      if (answer.status !== 200)
        problems.push(`key ${key.id} of ${key.consumer} no longer authenticates (${answer.status || answer.error})`);
    }
  } else if (kind === 'providers') {
    const probe = probeConsumer(run);
    for (const route of seeded.records.routes) {
      const answer = await probeGateway(gateway, { ...probe, model: route.model }, { ...common, expect: 200 });
      if (answer.status !== 200)
        problems.push(`route ${route.model} (provider ${route.providerId}) answered ${answer.status || answer.error}`);
    }
  } else {
    const blocked = blockedConsumer(run);
    if (blocked) {
      const answer = await probeGateway(gateway, blocked, { ...common, expect: 403 });
      if (answer.status !== 403)
        problems.push(`a prompt the guardrails block answered ${answer.status || answer.error}, not 403`);
    }
  }
  return problems;
}
