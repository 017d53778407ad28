import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Certificate } from '../report/certificate.ts';
import type { HopFiles } from './figures.ts';

type Events = HopFiles['events'];

/**
 * The upgrade phase's request latencies (from each request's intended start: `latency_ms`, else the older
 * `duration_ms`) whose intended start lies in the rollout window (upgrade-started → its end), from ledger.csv.
 * Columns are found by the header's names; the fields read come before any quoted one.
 */
export function rolloutDurations(csv: string, events: Events): number[] {
  const start = events.find((e) => e.kind === 'upgrade-started')?.t;
  const end = events.find((e) => e.kind === 'upgrade-complete' || e.kind === 'upgrade-failed')?.t;
  const [header, ...lines] = csv.split('\r\n');
  const names = (header ?? '').split(',');
  const col = (...candidates: string[]) => candidates.map((n) => names.indexOf(n)).find((i) => i >= 0) ?? -1;
  const [phaseAt, startAt, latencyAt] = [
    col('phase'),
    col('intended_start_ms', 'start_ms'),
    col('latency_ms', 'duration_ms'),
  ];
  if (start === undefined || end === undefined || phaseAt < 0 || startAt < 0 || latencyAt < 0) return [];
  const durations: number[] = [];
  for (const line of lines) {
    const fields = line.split(',', Math.max(phaseAt, startAt, latencyAt) + 1);
    if (fields[phaseAt] !== 'upgrade') continue;
    const t = Number(fields[startAt]);
    if (t >= start && t <= end) durations.push(Number(fields[latencyAt]));
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
