import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, LoadFigures } from './run.ts';

export interface ZeroDroppedEvidence {
  load: LoadFigures;
  minRequests: number;
}

export const zeroDroppedRequests = defineCheck<CheckRun, ZeroDroppedEvidence>({
  id: 'zero-dropped-requests',
  description:
    'the phase ledger has at least the configured minimum of requests and none failed (connection error, reset, close, timeout, 5xx, truncated stream); expected refusals count only when meant',
  phases: ['upgrade', 'rollback'],
  gather: async (run, phase) => ({ load: run.loadFigures(phase), minRequests: run.config.load.minRequests }),
  judge: ({ load, minRequests }) => {
    const evidence = { ...load, minRequests };
    if (load.failed > 0) {
      const classes = Object.entries(load.byClass)
        .filter(([, n]) => n > 0)
        .map(([c, n]) => `${n} ${c}`)
        .join(', ');
      const replicas = [...new Set(load.firstFailures.map((f) => f.replica).filter(Boolean))];
      const where = replicas.length > 0 ? `; first ones answered by ${replicas.join(', ')}` : '';
      return fail(`${load.failed} of ${load.total} requests failed (${classes})${where}`, evidence);
    }
    if (load.total < minRequests) {
      return fail(`only ${load.total} requests in the ledger; at least ${minRequests} are required`, evidence);
    }
    return pass(
      `${load.total} requests, ${load.served} served, ${load.refused} refused as expected, 0 failed`,
      evidence,
    );
  },
});
