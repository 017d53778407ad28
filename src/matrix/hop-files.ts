import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Certificate } from '../report/certificate.ts';
import type { HopFiles } from './figures.ts';

type Events = HopFiles['events'];

/** The upgrade phase's request durations whose start lies in the rollout window (ledger.csv, phase column). */
export function rolloutDurations(csv: string, events: Events): number[] {
  const start = events.find((e) => e.kind === 'upgrade-started')?.t;
  const end = events.find((e) => e.kind === 'upgrade-complete')?.t;
  if (start === undefined || end === undefined) return [];
  const durations: number[] = [];
  for (const line of csv.split('\r\n').slice(1)) {
    // phase,start_ms,end_ms,duration_ms,…: the first four fields are never quoted
    const [phase, s, , d] = line.split(',', 4);
    if (phase !== 'upgrade') continue;
    const t = Number(s);
    if (t >= start && t <= end) durations.push(Number(d));
  }
  return durations;
}

/** What figures need of one hop's report directory (timeline.json and ledger.csv; missing files give none). */
export async function readHopFiles(dir: string, certificate: Certificate): Promise<HopFiles> {
  const timeline = await readFile(path.join(dir, 'timeline.json'), 'utf8').catch(() => undefined);
  const events: Events = timeline ? ((JSON.parse(timeline) as { events?: Events }).events ?? []) : [];
  const csv = await readFile(path.join(dir, 'ledger.csv'), 'utf8').catch(() => '');
  return { certificate, events, rolloutDurationsMs: rolloutDurations(csv, events) };
}
