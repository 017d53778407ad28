import { isPlainObject } from '../common/deep-merge.ts';
import type { ChartRule } from './context.ts';
import { componentDeployments } from './context.ts';
import type { Finding } from './finding.ts';
import { podTemplate, resourceOf } from './manifests.ts';

export const readinessProbes: ChartRule = {
  id: 'readiness-probe',
  description: 'every platform container has a readiness probe (traffic only to ready pods)',
  check(ctx) {
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [component, d] of deployments) {
      for (const c of podTemplate(d).containers) {
        if (c.readinessProbe) continue;
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: `spec.template.spec.containers[${c.name}].readinessProbe`,
          message: `missing (${component})`,
        });
      }
    }
    return findings;
  },
};

export const rollingUpdateKeepsCapacity: ChartRule = {
  id: 'rolling-update-max-unavailable-0',
  description: 'every platform Deployment rolls with maxUnavailable 0 (capacity never drops during an upgrade)',
  check(ctx) {
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [, d] of deployments) {
      const strategy = d.spec?.strategy as { type?: string; rollingUpdate?: { maxUnavailable?: unknown } } | undefined;
      const value = strategy?.rollingUpdate?.maxUnavailable;
      if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: 'spec.strategy.type',
          message: `is ${strategy?.type}, expected RollingUpdate`,
        });
      } else if (value !== 0 && value !== '0%') {
        const shown = value === undefined ? 'unset (Kubernetes defaults to 25%)' : String(value);
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field: 'spec.strategy.rollingUpdate.maxUnavailable',
          message: `is ${shown}, expected 0`,
        });
      }
    }
    return findings;
  },
};

const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/**
 * The gateway drains itself on SIGTERM: it keeps accepting for the propagation window (as rendered into its
 * ConfigMap) and then finishes its longest stream (`gateway.drain.maxStreamSeconds`), after any preStop
 * sleep; the grace period must be longer, or the kubelet's SIGKILL cuts streams.
 */
export const graceExceedsDrain: ChartRule = {
  id: 'grace-period-exceeds-drain',
  description: "the gateway's terminationGracePeriodSeconds exceeds preStop + propagation window + longest stream",
  check(ctx) {
    const d = ctx.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway');
    if (!d) return [{ rule: this.id, resource: 'Deployment/gateway', field: '(resource)', message: 'not rendered' }];
    const cm = ctx.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'gateway-config');
    const rendered = cm?.data?.['config.json']
      ? (JSON.parse(cm.data['config.json']) as { gateway?: { drain?: { propagationSeconds?: number } } })
      : undefined;
    const drainValues =
      isPlainObject(ctx.values.gateway) && isPlainObject(ctx.values.gateway.drain) ? ctx.values.gateway.drain : {};
    const propagation = rendered?.gateway?.drain?.propagationSeconds ?? num(drainValues.propagationSeconds);
    const longestStream = num(drainValues.maxStreamSeconds);
    const t = podTemplate(d);
    const preStop = t.containers.find((c) => c.name === 'gateway')?.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = t.terminationGracePeriodSeconds ?? 30;
    const needed = preStop + propagation + longestStream;
    if (Number.isNaN(needed)) {
      return [
        {
          rule: this.id,
          resource: 'values',
          field: 'gateway.drain',
          message: 'propagationSeconds and maxStreamSeconds must be numbers',
        },
      ];
    }
    if (grace > needed) return [];
    return [
      {
        rule: this.id,
        resource: resourceOf(d),
        field: 'spec.template.spec.terminationGracePeriodSeconds',
        message: `is ${grace}, must exceed ${needed} (preStop ${preStop} + propagation ${propagation} + longest stream ${longestStream})`,
      },
    ];
  },
};

/** The control plane is ready only after migrate + reconcile: that is what its `/readyz` answers, so the probe must ask it. */
export const readinessGatedOnMigrations: ChartRule = {
  id: 'control-plane-ready-after-migrations',
  description: "the control plane's readiness probe asks /readyz (ready only after migrations and reconcile)",
  check(ctx) {
    const d = ctx.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'control-plane');
    if (!d)
      return [{ rule: this.id, resource: 'Deployment/control-plane', field: '(resource)', message: 'not rendered' }];
    const c = podTemplate(d).containers.find((x) => x.name === 'control-plane') ?? podTemplate(d).containers[0];
    const path = c?.readinessProbe?.httpGet?.path;
    if (path === '/readyz') return [];
    return [
      {
        rule: this.id,
        resource: resourceOf(d),
        field: `spec.template.spec.containers[${c?.name ?? 'control-plane'}].readinessProbe.httpGet.path`,
        message: `is ${path ?? '(no httpGet probe)'}, expected /readyz (ready only after migrations and reconcile)`,
      },
    ];
  },
};
