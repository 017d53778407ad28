import type { RunState } from '../checks/run-state.ts';
import { probeGateway } from '../load/probe.ts';
import type { Phase } from '../release/manifest.ts';
import { blockedConsumer, probeConsumer } from './consumers.ts';

export type PreservedKind = 'consumers' | 'providers' | 'guardrails';

/**
 * The functional probes of one kind of preserved records, sent after a phase: every seeded key still
 * authenticates; every route still answers; a prompt the guardrails block is still refused. What failed.
 */
export async function functionalProbes(run: RunState, kind: PreservedKind, phase: Phase): Promise<string[]> {
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
