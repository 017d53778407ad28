import { z } from 'zod';
import { type Certificate, certificateSchema } from './certificate.ts';

export type RunVerdict = Certificate['verdict'];

/** Worst first: a failure outweighs an inconclusive run, which outweighs a pass. */
const severity: Record<string, number> = { passed: 0, inconclusive: 1, failed: 2 };

/** The worst of several verdicts (a path's, a cell's); no verdict at all is inconclusive. */
export function worstVerdict(verdicts: readonly RunVerdict[]): RunVerdict {
  if (verdicts.length === 0) return 'inconclusive' as RunVerdict;
  return verdicts.reduce((worst, v) => ((severity[v] ?? 1) > (severity[worst] ?? 1) ? v : worst));
}

/**
 * What `certify --through` leaves (and `--json` writes): a multi-hop path certified hop by hop in one
 * platform's life, one certificate per hop; its verdict is the worst hop's.
 */
export const pathResultSchema = z.strictObject({
  schema: z.literal('upcert/path@1'),
  path: z.array(z.string().min(1)).min(3),
  verdict: certificateSchema.shape.verdict,
  durationMs: z.number().int().min(0),
  hops: z.array(certificateSchema).min(1),
});
export type PathResult = z.infer<typeof pathResultSchema>;

/** What one run of `certify` produced: a certificate (one hop) or a path result (several). */
export const runResultSchema = z.union([certificateSchema, pathResultSchema]);
export type RunResult = z.infer<typeof runResultSchema>;

export function pathResultOf(path: string[], hops: Certificate[]): PathResult {
  return {
    schema: 'upcert/path@1',
    path,
    verdict: worstVerdict(hops.map((h) => h.verdict)),
    durationMs: hops.reduce((n, h) => n + h.durationMs, 0),
    hops,
  };
}

/** The certificates of a run result, hop by hop. */
export function hopsOf(result: RunResult): Certificate[] {
  return 'hops' in result ? result.hops : [result];
}
