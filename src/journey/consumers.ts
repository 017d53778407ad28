import type { RunState } from '../checks/run-state.ts';
import type { LoadConsumer } from '../seed/index.ts';

/** The consumer that probes speak for: the first load consumer meant to be served. */
export function probeConsumer(run: RunState): LoadConsumer {
  const consumer = run.requireSeeded().load.find((c) => c.expect === 200);
  if (!consumer) throw new Error('the tenant fixture has no consumer meant to be served');
  return consumer;
}

/** The consumer whose prompts a guardrail blocks (403). */
export function blockedConsumer(run: RunState): LoadConsumer | undefined {
  return run.requireSeeded().load.find((c) => c.expect === 403);
}
