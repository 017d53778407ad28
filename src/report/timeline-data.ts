import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RolloutEvent } from '../common/rollout-event.ts';
import type { BucketTimeline } from '../load/ledger-buckets.ts';
import { verdictOf } from './certificate.ts';

/** What timeline.html is drawn from: timeline.json's content plus the run's headline (releases, verdict). */
export interface TimelineData {
  runId: string;
  from?: string;
  to?: string;
  target?: string;
  verdict?: string;
  events: RolloutEvent[];
  rollouts: Record<string, { start: number; end?: number }>;
  phases: Record<string, BucketTimeline>;
}

/** The parts of a run the timeline needs (RunState has them; tests build them by hand). */
export interface TimelineSource {
  runId: string;
  from: { name: string };
  to: { name: string };
  config: { target: string };
  timeline: { events: readonly RolloutEvent[] };
  rollouts: ReadonlyMap<string, { start: number; end?: number }>;
  ledgers: ReadonlyMap<string, { bucketize(ms: number): BucketTimeline }>;
  results: Parameters<typeof verdictOf>[0];
  stepFailures: Parameters<typeof verdictOf>[1];
  harnessFaults?: Parameters<typeof verdictOf>[2];
}

export function timelineDataOf(run: TimelineSource, bucketMs = 100): TimelineData {
  const { verdict } = verdictOf(run.results, run.stepFailures, run.harnessFaults);
  return {
    runId: run.runId,
    from: run.from.name,
    to: run.to.name,
    target: run.config.target,
    verdict,
    events: [...run.timeline.events],
    rollouts: Object.fromEntries(run.rollouts),
    phases: Object.fromEntries([...run.ledgers.entries()].map(([phase, l]) => [phase, l.bucketize(bucketMs)])),
  };
}

const bucketTimeline = z.object({
  bucketMs: z.number().positive(),
  origin: z.number(),
  versions: z.array(z.string()),
  buckets: z.array(
    z.object({
      t: z.number(),
      served: z.number(),
      refused: z.number(),
      failed: z.number(),
      byVersion: z.record(z.string(), z.number()),
      // latency by intended start (absent from timelines written before it was recorded)
      p50: z.number().default(0),
      p99: z.number().default(0),
      late: z.number().default(0),
    }),
  ),
});

const timelineFile = z.looseObject({
  runId: z.string(),
  events: z.array(
    z.looseObject({
      t: z.number(),
      kind: z.string(),
      component: z.string().optional(),
      replica: z.string().optional(),
      version: z.string().optional(),
      detail: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    }),
  ),
  rollouts: z.record(z.string(), z.object({ start: z.number(), end: z.number().optional() })).default({}),
  phases: z.record(z.string(), bucketTimeline).default({}),
});

/** Reads a run's timeline.json (and the headline from certificate.json when given) for redrawing the page. */
export async function readTimelineData(
  file: string,
  headline: Partial<Pick<TimelineData, 'from' | 'to' | 'target' | 'verdict'>> = {},
): Promise<TimelineData> {
  const parsed = timelineFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`timeline: ${file} is not a timeline at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { runId, events, rollouts, phases } = parsed.data;
  return { runId, events, rollouts, phases, ...headline };
}
