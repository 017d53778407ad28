import { parseCpuQuantity } from '../common/cpu-quantity.ts';
import type { ChartRule } from './context.ts';
import { componentDeployments } from './context.ts';
import type { Finding } from './finding.ts';
import { podTemplate, resourceOf } from './manifests.ts';

/**
 * A container without a CPU request (nor a limit, which then stands for it) gets the least CPU weight there is
 * under contention: kubelet gives it 2 CFS shares (pkg/kubelet/cm/helpers_linux.go MilliCPUToShares, MinShares),
 * whatever its pod's QoS class; a pod that requests nothing at all is BestEffort, and "the kubelet prefers to evict
 * BestEffort Pods if the node comes under resource pressure" (kubernetes/website,
 * content/en/docs/concepts/workloads/pods/pod-qos.md). During a rollout, when new pods of every component start
 * at once, that is the gateway freezing while the others boot.
 */
export const cpuRequests: ChartRule = {
  id: 'cpu-requests',
  description: 'every platform container requests CPU (its weight under contention; without one, the least there is)',
  check(ctx) {
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [component, d] of deployments) {
      for (const c of podTemplate(d).containers) {
        const { resources } = c as { resources?: { requests?: { cpu?: unknown }; limits?: { cpu?: unknown } } };
        const field = `spec.template.spec.containers[${c.name}].resources.requests.cpu`;
        const milli = parseCpuQuantity(resources?.requests?.cpu ?? resources?.limits?.cpu, field, 'chart-check');
        if (milli !== null && milli > 0) continue;
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field,
          message: `missing (${component}): without it the container gets the least CPU weight there is (2 shares)`,
        });
      }
    }
    return findings;
  },
};
