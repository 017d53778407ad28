import { setTimeout as sleep } from 'node:timers/promises';
import { StepFailedError } from './errors.ts';

/**
 * The one polling loop: calls `condition` until it holds or the deadline (from the `timeouts` configuration)
 * passes; a throwing condition counts as not yet. The error says what it waited for, how long, and the last error.
 */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean>,
  deadlineMs: number,
  everyMs = 200,
): Promise<void> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > deadlineMs) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new StepFailedError(`wait: ${what} did not happen within ${deadlineMs} ms${cause}`, { cause: lastError });
    }
    await sleep(everyMs);
  }
}
