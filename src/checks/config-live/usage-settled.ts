import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigApi } from '../../seed/config-api.ts';

/**
 * Waits until the recorded usage of `consumers` stops growing (the same figures twice, 500 ms apart), so that
 * no batched usage write of a gateway lands after the records are gone; bounded by `deadlineMs`.
 */
export async function usageSettled(api: ConfigApi, consumers: string[], deadlineMs: number): Promise<void> {
  const read = async () => {
    const all = await Promise.all(
      consumers.map((c) => api.call<{ requests: number }>('GET', `/api/v1/usage?consumer=${encodeURIComponent(c)}`)),
    );
    return all.map((u) => u?.requests ?? 0).join(',');
  };
  const end = Date.now() + deadlineMs;
  let last = await read();
  while (Date.now() < end) {
    await sleep(500);
    const now = await read();
    if (now === last) return;
    last = now;
  }
  throw new Error(`the usage of ${consumers.join(', ')} was still growing after ${deadlineMs} ms`);
}
