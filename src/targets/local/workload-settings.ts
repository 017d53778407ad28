import { z } from 'zod';
import { parseCpuQuantity } from '../../common/cpu-quantity.ts';
import type { Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import type { ComponentName } from '../../release/manifest.ts';

/** A Deployment of the local target: the four release components and provider-mock. */
export type WorkloadName = ComponentName | 'provider-mock';

/** The chart's values key of each workload (values use camelCase, releases kebab-case). */
export const valuesKey: Record<WorkloadName, string> = {
  gateway: 'gateway',
  'control-plane': 'controlPlane',
  console: 'console',
  identity: 'identity',
  'provider-mock': 'providerMock',
};

// Defaults are Kubernetes' own where the chart leaves a field out.
const probeSchema = z.object({
  periodSeconds: z.number().positive().default(10),
  failureThreshold: z.number().int().positive().default(3),
  successThreshold: z.number().int().positive().default(1),
  timeoutSeconds: z.number().positive().default(1),
  initialDelaySeconds: z.number().min(0).default(0),
});

const preStopSchema = z.union([
  z.null(),
  z.object({ sleep: z.object({ seconds: z.number().min(0) }) }),
  z.object({ exec: z.object({ command: z.array(z.string()).min(1) }) }),
  z.object({ httpGet: z.object({ path: z.string().startsWith('/') }) }),
]);
export type PreStop = z.infer<typeof preStopSchema>;

const workloadSchema = z.looseObject({
  replicas: z.number().int().min(0).nullable().default(null),
  terminationGracePeriodSeconds: z.number().min(0).default(30),
  preStop: preStopSchema.default(null),
  readinessProbe: probeSchema.prefault({}),
  resources: z
    .looseObject({
      requests: z.looseObject({ cpu: z.unknown() }).optional(),
      limits: z.looseObject({ cpu: z.unknown() }).optional(),
    })
    .optional(),
});

export interface WorkloadSettings {
  name: WorkloadName;
  replicas: number;
  readinessProbe: z.infer<typeof probeSchema>;
  preStop: PreStop;
  terminationGracePeriodSeconds: number;
  /** `resources.requests.cpu` (or the limit alone) in milli-CPU; null without either (the least weight). */
  cpuRequestMilli: number | null;
  /** The replica processes' nice value from the CPU requests of all workloads (cpu-weight.ts); 0 until weighed. */
  nice: number;
}

/**
 * The CPU request, or the limit where only a limit is set: "If you specify a limit for a resource, but do not
 * specify any request, ... then Kubernetes copies the limit you specified and uses it as the requested value"
 * (kubernetes/website, content/en/docs/concepts/configuration/manage-resources-containers.md).
 */
function cpuRequestOf(
  resources: { requests?: { cpu?: unknown }; limits?: { cpu?: unknown } } | undefined,
  key: string,
) {
  const request = parseCpuQuantity(resources?.requests?.cpu, `${key}.resources.requests.cpu`);
  return request ?? parseCpuQuantity(resources?.limits?.cpu, `${key}.resources.limits.cpu`);
}

function fieldOf(prefix: string, issue: z.core.$ZodIssue): string {
  return [prefix, ...issue.path.map(String)].join('.');
}

/**
 * What the chart's values say about one Deployment: replicas (null → 1, or 2 with
 * `global.highAvailability`), readiness probe, preStop, termination grace period and CPU request.
 * provider-mock always runs one replica (test infrastructure, not part of the release).
 */
export function workloadSettings(values: Values, name: WorkloadName): WorkloadSettings {
  const key = valuesKey[name];
  const parsed = workloadSchema.safeParse(values[key] ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadInputError(`resolve values: ${fieldOf(key, issue)}: ${issue.message}`, { field: fieldOf(key, issue) });
  }
  const ha = (values.global as { highAvailability?: unknown } | undefined)?.highAvailability === true;
  const v = parsed.data;
  const replicas = name === 'provider-mock' ? 1 : (v.replicas ?? (ha ? 2 : 1));
  return {
    name,
    replicas,
    readinessProbe: v.readinessProbe,
    preStop: v.preStop,
    terminationGracePeriodSeconds: v.terminationGracePeriodSeconds,
    cpuRequestMilli: cpuRequestOf(v.resources, key),
    nice: 0,
  };
}
