import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds or the deadline passes; the error says what it waited for and how long. */
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
      throw new Error(`wait: ${what} did not happen within ${deadlineMs} ms${cause}`, { cause: lastError });
    }
    await sleep(everyMs);
  }
}
