import { defineCheck } from '../check.ts';
import { gatherLatencyHeld } from './gather.ts';
import { judgeLatencyHeld } from './judge.ts';

export const latencyHeld = defineCheck({
  id: 'latency-held',
  description:
    "the rollout window's latency (from each request's intended start) and served throughput stay within the configured thresholds relative to the steady window before it; a stall fails even when every request succeeds",
  phases: ['upgrade', 'rollback'],
  needs: [],
  gather: gatherLatencyHeld,
  judge: judgeLatencyHeld,
});
