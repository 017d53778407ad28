/**
 * SIGTERM on the timeline: at the deletion for a container without a preStop hook, when the preStop sleep ends
 * for one with it (the kubelet runs the hook, then signals). The pod spec is the chart's own, as helm renders it.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podEvents, preStopSleepSeconds } from '../../../src/targets/kube/rollout-events.ts';
import { findObject, renderRelease } from '../../chart/support/render-release.ts';
import { kubeFixture } from '../../fixtures/kube/load.ts';

const life = kubeFixture<Record<'ready' | 'terminating', V1Pod>>('pod-lifecycle.yaml');

/** The pod-lifecycle fixture's states, as a pod of `component` whose spec is the rendered chart's. */
async function podOf(component: string): Promise<Record<'ready' | 'terminating', V1Pod>> {
  const deployment = findObject(await renderRelease('v1.8.0', 'kind'), 'Deployment', component);
  const as = (p: V1Pod): V1Pod => ({
    ...p,
    metadata: { ...p.metadata, labels: { ...p.metadata?.labels, app: component } },
    spec: deployment.spec.template.spec,
  });
  return { ready: as(life.ready), terminating: as(life.terminating) };
}

describe('sigterm stamping', () => {
  it('control-plane (preStop sleep 2 s): stamped when the sleep ends', async () => {
    const pod = await podOf('control-plane');
    expect(preStopSleepSeconds(pod.terminating, 'control-plane')).toBe(2);
    const sigterm = podEvents(pod.ready, pod.terminating).find((e) => e.kind === 'sigterm');
    expect(sigterm).toMatchObject({
      delayMs: 2000,
      detail: { gracePeriodSeconds: 30, preStopSeconds: 2, stampedAt: 'preStop end' },
    });
  });

  it('gateway (no preStop: it drains itself): stamped at the deletion', async () => {
    const pod = await podOf('gateway');
    const sigterm = podEvents(pod.ready, pod.terminating).find((e) => e.kind === 'sigterm');
    expect(sigterm?.delayMs).toBeUndefined();
    expect(sigterm?.detail).toEqual({ gracePeriodSeconds: 30 });
  });
});
