import { z } from 'zod';
import { checkIds, phases, releaseManifestSchema } from '../release/manifest.ts';
import { type HarnessFault, harnessFaultSchema } from './harness-fault.ts';

export const verdicts = ['passed', 'failed', 'inconclusive'] as const;
export type Verdict = (typeof verdicts)[number];

/** certificate.json (DESIGN.md): the typed record of one certification run, separate from its writers. */
export const certificateSchema = z.strictObject({
  schema: z.literal('upcert/certificate@2'),
  runId: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  target: z.enum(['local', 'kind', 'cluster']),
  /** the platform certified (`--platform`; absent in certificates written before platforms existed). */
  platform: z.string().min(1).optional(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().int().min(0),
  verdict: z.enum(verdicts),
  /** why the verdict is what it is: the failures of a failed run, the reasons of an inconclusive one. */
  verdictReasons: z.array(z.string()),
  /** a failed install, upgrade or rollback step, reported as such (the verdict is then failed). */
  stepFailures: z.array(z.strictObject({ step: z.string(), error: z.string() })),
  /** faults of upcert itself (the verdict is then inconclusive). */
  harnessFaults: z.array(harnessFaultSchema),
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
    /** each load (a phase, or a probe's share of it): the asked rate and the rate sent, second by second. */
    rates: z
      .array(
        z.strictObject({
          load: z.string(),
          asked: z.number().min(0),
          achievedPerSec: z.array(z.number().min(0)),
          /** seconds below 99 % of the requests due. */
          shortSeconds: z.number().int().min(0),
        }),
      )
      .optional(),
  }),
  releases: z.strictObject({ from: releaseManifestSchema, to: releaseManifestSchema }),
  /** a hop of a multi-hop path (`--through`): the whole path and this hop's 1-based index. */
  path: z.strictObject({ releases: z.array(z.string()).min(3), hop: z.number().int().min(1) }).optional(),
  /** an upgrade the support policy refuses, run on purpose (`--unsupported`): why, and the path to take. */
  unsupported: z.strictObject({ reason: z.string().min(1), path: z.array(z.string()).optional() }).optional(),
});

export type Certificate = z.infer<typeof certificateSchema>;

/**
 * The verdict rule (DESIGN.md "Verdict and exit codes"): `inconclusive` when the harness faulted (whatever the
 * checks said: its fault may be what they saw) or when no selected check could be evaluated; else `failed`
 * when a check or a step failed; else `passed`. Skipped and not-supported never count as passed.
 */
export function verdictOf(
  checks: Pick<Certificate['checks'][number], 'id' | 'phase' | 'status' | 'summary'>[],
  stepFailures: Certificate['stepFailures'],
  harnessFaults: readonly Pick<HarnessFault, 'source' | 'reason'>[] = [],
): { verdict: Verdict; reasons: string[] } {
  const failures = [
    ...stepFailures.map((s) => `step failed: ${s.step}: ${s.error}`),
    ...checks.filter((c) => c.status === 'failed').map((c) => `${c.id} (${c.phase}) failed: ${c.summary}`),
  ];
  if (harnessFaults.length > 0) {
    const faults = harnessFaults.map((f) => `harness fault: ${f.source}: ${f.reason}`);
    return { verdict: 'inconclusive', reasons: [...faults, ...failures] };
  }
  if (failures.length > 0) return { verdict: 'failed', reasons: failures };
  if (!checks.some((c) => c.status === 'passed')) {
    const why = checks.map((c) => `${c.id} (${c.phase}) ${c.status}: ${c.summary}`);
    return { verdict: 'inconclusive', reasons: ['no selected check could be evaluated', ...why] };
  }
  return { verdict: 'passed', reasons: [] };
}

/** The exit code of a verdict (DESIGN.md): 0 passed, 1 failed, 4 inconclusive. */
export function exitCodeOfVerdict(verdict: Verdict): number {
  return verdict === 'passed' ? 0 : verdict === 'failed' ? 1 : 4;
}
