import os from 'node:os';
import { BadInputError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { WorkloadName, WorkloadSettings } from './workload-settings.ts';

const log = createLogger('local');

/**
 * CPU weights: the local stand-in for what kubelet does with a container's `resources.requests.cpu`.
 *
 * Kubernetes: "The CPU request typically defines a weighting. If several different containers (cgroups) want
 * to run on a contended system, workloads with larger CPU requests are allocated more CPU time than workloads
 * with small requests" (kubernetes/website, content/en/docs/concepts/configuration/manage-resources-containers.md).
 * kubelet turns the request into CFS shares with `MilliCPUToShares` (kubernetes/kubernetes,
 * pkg/kubelet/cm/helpers_linux.go): shares = milliCPU × 1024 / 1000, at least 2 (MinShares; no request, a
 * BestEffort container, gets 2).
 *
 * On one machine with no cgroups of its own the local target gives each replica's process the nice value whose
 * CFS weight (kernel/sched/core.c `sched_prio_to_weight`, ×1.25 per step, nice 0 = 1024) is in the same ratio to
 * nice 0 as its shares are to the largest request of the platform. The largest request runs at nice 0 (upcert's
 * own priority: an unprivileged process may only lower a priority), everything else lower. Without it, a rollout
 * that starts a replica of every component at once on a 2-core machine starves the gateways that serve the load
 * for seconds: a stall that belongs to the test machine, not to the release (measured: rollout p99 1.4-3.4 s
 * without weights, 0.1-0.75 s with them, same release pair).
 */

/** kernel/sched/core.c `sched_prio_to_weight`, nice 0 to 19. */
const niceWeights = [
  1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
] as const;

const minShares = 2;
const maxShares = 262_144;

/** kubelet's MilliCPUToShares. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return minShares;
  return Math.min(maxShares, Math.max(minShares, Math.floor((milliCpu * 1024) / 1000)));
}

/**
 * A CPU quantity as Kubernetes writes it: `500m`, `0.5`, `2`, or a number. Null (no request) stays null.
 * Anything else is bad input naming `field`.
 */
export function parseCpuQuantity(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!match) {
    throw new BadInputError(`resolve values: ${field}: "${String(value)}" is not a CPU quantity (e.g. 500m, 0.5, 1)`, {
      field,
    });
  }
  const amount = Number(match[1]);
  return Math.round(match[2] === 'm' ? amount : amount * 1000);
}

/** The nice value whose weight is nearest (by ratio) to nice 0's weight × shares / largest shares. */
export function niceFor(shares: number, largestShares: number): number {
  const wanted = (1024 * shares) / Math.max(shares, largestShares);
  let best = 0;
  for (let nice = 1; nice < niceWeights.length; nice++) {
    if (Math.abs(Math.log(niceWeights[nice]! / wanted)) < Math.abs(Math.log(niceWeights[best]! / wanted))) best = nice;
  }
  return best;
}

/** Lowers a started process's priority to `nice` (nothing to do at 0); a refusal is logged, not fatal. */
export function applyNice(pid: number | undefined, nice: number, what: string): void {
  if (pid === undefined || nice <= 0) return;
  try {
    os.setPriority(pid, Math.max(os.getPriority(pid), nice));
  } catch (error) {
    log.debug(`${what}: could not lower its CPU priority to nice ${nice} (${(error as Error).message})`);
  }
}

/**
 * Every workload's nice from its CPU request, relative to the largest request among them (no request at all
 * anywhere: every workload at nice 0, as a node whose pods are all BestEffort shares the CPU evenly).
 */
export function weighCpu(settings: Record<WorkloadName, WorkloadSettings>): Record<WorkloadName, WorkloadSettings> {
  const shares = (s: WorkloadSettings) => milliCpuToShares(s.cpuRequestMilli ?? 0);
  const largest = Math.max(...Object.values(settings).map(shares));
  return Object.fromEntries(
    Object.entries(settings).map(([name, s]) => [name, { ...s, nice: niceFor(shares(s), largest) }]),
  ) as Record<WorkloadName, WorkloadSettings>;
}
