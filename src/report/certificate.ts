import { z } from 'zod';
import { checkIds, phases, releaseManifestSchema } from '../release/manifest.ts';

/** certificate.json (DESIGN.md): the typed record of one certification run, separate from its writers. */
export const certificateSchema = z.strictObject({
  schema: z.literal('upcert/certificate@1'),
  runId: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  target: z.enum(['local', 'kind', 'cluster']),
  startedAt: z.iso.datetime(),
  durationMs: z.number().int().min(0),
  verdict: z.enum(['passed', 'failed']),
  /** a failed install, upgrade or rollback step, reported as such (the verdict is then failed). */
  stepFailures: z.array(z.strictObject({ step: z.string(), error: z.string() })).default([]),
  checks: z.array(
    z.strictObject({
      id: z.enum(checkIds),
      phase: z.enum(phases),
      status: z.enum(['passed', 'failed', 'skipped', 'not-supported']),
      summary: z.string(),
      evidence: z.record(z.string(), z.unknown()),
    }),
  ),
  load: z.strictObject({
    total: z.number().int().min(0),
    served: z.number().int().min(0),
    failed: z.number().int().min(0),
    byClass: z.record(z.string(), z.number().int().min(0)),
    ratePerSec: z.number().min(0),
    streams: z.number().int().min(0),
  }),
  releases: z.strictObject({ from: releaseManifestSchema, to: releaseManifestSchema }),
});

export type Certificate = z.infer<typeof certificateSchema>;

/** The verdict rule: failed when any check failed or a step failed; skipped and not-supported never count as passed. */
export function verdictOf(
  checks: Certificate['checks'],
  stepFailures: Certificate['stepFailures'],
): Certificate['verdict'] {
  return stepFailures.length > 0 || checks.some((c) => c.status === 'failed') ? 'failed' : 'passed';
}
