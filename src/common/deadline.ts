import { StepFailedError } from './errors.ts';

/**
 * Runs `work` under a deadline from the `timeouts` configuration: past it, a step failure naming what did not
 * finish, in how long, and the setting that sets it. The timer never keeps the process alive.
 */
export async function withinDeadline<T>(
  what: string,
  deadlineMs: number,
  setting: string,
  work: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StepFailedError(`${what}: not finished within ${deadlineMs / 1000} s (${setting})`)),
      deadlineMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
