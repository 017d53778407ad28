import type { ChartRule } from './context.ts';
import { componentDeployments } from './context.ts';
import type { Finding } from './finding.ts';
import { podTemplate, resourceOf, selects } from './manifests.ts';

/** Rules that hold with high-availability values only (upgrades.md "Rolling upgrades in HA"). */
export const haReplicas: ChartRule = {
  id: 'ha-replicas',
  description: 'with HA values, every platform component runs 2+ replicas',
  check(ctx) {
    if (!ctx.highAvailability) return [];
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [, d] of deployments) {
      const replicas = (d.spec?.replicas as number | undefined) ?? 1;
      if (replicas < 2)
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: 'spec.replicas',
          message: `is ${replicas}, HA needs 2+`,
        });
    }
    return findings;
  },
};

export const haDisruptionBudget: ChartRule = {
  id: 'ha-pdb',
  description: 'with HA values, a PodDisruptionBudget keeps at least one pod of every platform component',
  check(ctx) {
    if (!ctx.highAvailability) return [];
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const pdbs = ctx.objects.filter((o) => o.kind === 'PodDisruptionBudget');
    const findings: Finding[] = [...missing];
    for (const [, d] of deployments) {
      const labels = podTemplate(d).labels;
      const pdb = pdbs.find((p) =>
        selects((p.spec?.selector as { matchLabels?: Record<string, string> })?.matchLabels, labels),
      );
      if (!pdb) {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: 'PodDisruptionBudget',
          message: 'no PodDisruptionBudget selects its pods',
        });
        continue;
      }
      const min = pdb.spec?.minAvailable;
      const maxUnavailable = pdb.spec?.maxUnavailable;
      const protects =
        (typeof min === 'number' && min >= 1) ||
        (typeof min === 'string' && min !== '0%') ||
        maxUnavailable !== undefined;
      if (!protects) {
        findings.push({
          rule: this.id,
          resource: resourceOf(pdb),
          field: 'spec.minAvailable',
          message: `is ${String(min)}: protects nothing`,
        });
      }
    }
    return findings;
  },
};

export const haAntiAffinity: ChartRule = {
  id: 'ha-anti-affinity',
  description: 'with HA values, pod anti-affinity by hostname spreads the replicas of every platform component',
  check(ctx) {
    if (!ctx.highAvailability) return [];
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [, d] of deployments) {
      const t = podTemplate(d);
      const anti = t.affinity?.podAntiAffinity;
      const terms = [
        ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.podAffinityTerm),
        ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ];
      const spreads = terms.some(
        (term) => term.topologyKey === 'kubernetes.io/hostname' && selects(term.labelSelector?.matchLabels, t.labels),
      );
      if (!spreads) {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: 'spec.template.spec.affinity.podAntiAffinity',
          message: 'no anti-affinity term by kubernetes.io/hostname selects its own pods',
        });
      }
    }
    return findings;
  },
};
