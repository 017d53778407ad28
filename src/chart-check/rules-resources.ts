import type { ChartRule } from './context.ts';
import { componentDeployments } from './context.ts';
import type { Finding } from './finding.ts';
import { podTemplate, resourceOf } from './manifests.ts';

/**
 * A container without a CPU request makes its pod BestEffort (when no container of the pod requests anything):
 * under contention it gets the least CPU of all (kubelet gives it 2 CFS shares, pkg/kubelet/cm/helpers_linux.go
 * MinShares) and "the kubelet prefers to evict BestEffort Pods if the node comes under resource pressure"
 * (kubernetes/website, content/en/docs/concepts/workloads/pods/pod-qos.md). During a rollout, when new pods of
 * every component start at once, that is the gateway freezing while the others boot.
 */
export const cpuRequests: ChartRule = {
  id: 'cpu-requests',
  description: 'every platform container requests CPU (its weight under contention; none makes the pod BestEffort)',
  check(ctx) {
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [component, d] of deployments) {
      for (const c of podTemplate(d).containers) {
        const cpu = (c as { resources?: { requests?: { cpu?: unknown } } }).resources?.requests?.cpu;
        if (cpu !== undefined && cpu !== null && cpu !== '0' && cpu !== 0) continue;
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: `spec.template.spec.containers[${c.name}].resources.requests.cpu`,
          message: `missing (${component}): without it the pod gets the least CPU under contention`,
        });
      }
    }
    return findings;
  },
};
