import type { Query } from './migration-ledger.ts';

export interface ClockOffset {
  /** database clock minus the run's clock, ms. */
  offsetMs: number;
  /** half the round trip of the best sample: the offset is known to ± this. */
  uncertaintyMs: number;
}

/**
 * The offset between the database's clock and the run's, from the sample with the shortest round trip
 * (NTP's idea, one hop): timestamps the database wrote (a migration's `run_on`) can then be put on the
 * run's clock, also when the database runs on another machine.
 */
export async function measureClockOffset(query: Query, clock: () => number, samples = 7): Promise<ClockOffset> {
  let best: ClockOffset | undefined;
  for (let i = 0; i < samples; i++) {
    const sent = clock();
    const [row] = await query<{ t: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS t');
    const received = clock();
    const uncertaintyMs = (received - sent) / 2;
    const offsetMs = Number(row?.t) - (sent + received) / 2;
    if (!best || uncertaintyMs < best.uncertaintyMs) best = { offsetMs, uncertaintyMs };
  }
  if (!best) throw new Error('clock offset: no sample');
  return best;
}
