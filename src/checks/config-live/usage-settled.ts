import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../../seed/database.ts';

/**
 * Waits until the usage rows of `consumers` stop growing (the same count twice, 500 ms apart; read from the
 * database, as the harness's own bookkeeping, not through an API under test), so that no batched usage write
 * of a gateway lands after the records are gone; bounded by `deadlineMs`.
 */
export async function usageSettled(db: Queryable, consumers: string[], deadlineMs: number): Promise<void> {
  const read = async () => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM usage WHERE consumer = ANY($1::text[])', [
      consumers,
    ]);
    return String(rows[0]?.n ?? '0');
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
