import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
 * nice 0 as its shares are to the largest request of the platform, relative to upcert's own priority: the largest
 * request runs at upcert's own (an unprivileged process may only lower a priority), everything else lower. Without it, a rollout
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

/** The nice value whose weight is nearest (by ratio) to nice 0's weight × shares / largest shares. */
export function niceFor(shares: number, largestShares: number): number {
  const wanted = (1024 * shares) / Math.max(shares, largestShares);
  let best = 0;
  for (let nice = 1; nice < niceWeights.length; nice++) {
    if (Math.abs(Math.log(niceWeights[nice]! / wanted)) < Math.abs(Math.log(niceWeights[best]! / wanted))) best = nice;
  }
  return best;
}

let niceBinary: string | null | undefined;

/** `nice` on PATH (coreutils on Linux, BSD's on macOS), looked up once; null where there is none (Windows). */
function findNice(): string | null {
  if (niceBinary !== undefined) return niceBinary;
  niceBinary = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(dir, 'nice'), constants.X_OK);
      niceBinary = path.join(dir, 'nice');
      break;
    } catch {
      // not here
    }
  }
  return niceBinary;
}

/**
 * How to start a process `nice` steps below upcert's own priority: through `nice -n N`, so that every thread of
 * the process has it from its first instruction (Node starts its V8 and libuv threads before any code of ours
 * could lower the priority, and on Linux a priority belongs to each thread). Empty at 0, or where there is no
 * `nice` (then `lowerPriority` does what it can once the process runs).
 */
export function niceLauncher(nice: number): string[] {
  if (nice <= 0) return [];
  const binary = findNice();
  return binary ? [binary, '-n', String(nice)] : [];
}

/** Where no `nice` could be used: lowers the running process's (main thread's) priority; a refusal is said. */
export function lowerPriority(pid: number | undefined, nice: number, what: string): void {
  if (pid === undefined || nice <= 0 || findNice()) return;
  try {
    os.setPriority(pid, Math.min(19, os.getPriority() + nice));
  } catch (error) {
    log.warn(`${what}: could not lower its CPU priority by ${nice} (${(error as Error).message}); it competes evenly`);
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
