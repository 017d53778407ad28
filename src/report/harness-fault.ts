import { z } from 'zod';

/**
 * A fault of upcert itself, not of the platform under test (DESIGN.md "Verdict and exit codes"): a lost
 * port-forward tunnel, a load generator that could not hold its rate, a report file it could not write.
 * Any harness fault makes the run `inconclusive`: upcert never blames its own faults on the platform.
 */
export const harnessFaultSchema = z.strictObject({
  /** what faulted, e.g. `load-generator`, `kube-tunnel`, `report`. */
  source: z.string().min(1),
  /** what happened, in a user's words. */
  reason: z.string().min(1),
  /** when, in ms since the run started. */
  atMs: z.number().int().min(0),
});

export type HarnessFault = z.infer<typeof harnessFaultSchema>;

/**
 * How code far from the run reports a fault of the harness (the load generator, a kube tunnel): the run hands
 * it `run.harnessFault` and it calls `harnessFault({ source, reason })`.
 */
export type HarnessFaultSink = (fault: { source: string; reason: string }) => void;
