import type { V1EndpointSlice, V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { readyPodsOf } from '../../../src/targets/kube/endpoints.ts';
import { restartedContainers, unreadyPods } from '../../../src/targets/kube/pod-state.ts';
import { endpointSliceEvents, jobEvents, podEvents } from '../../../src/targets/kube/rollout-events.ts';
import { kubeFixture } from '../../fixtures/kube/load.ts';

const life =
  kubeFixture<Record<'created' | 'running' | 'ready' | 'terminating' | 'exited' | 'killed', V1Pod>>(
    'pod-lifecycle.yaml',
  );
const kinds = (prev: V1Pod | undefined, next: V1Pod | undefined) => podEvents(prev, next).map((e) => e.kind);

describe('pod informer changes become the local target timeline kinds', () => {
  test('a pod of a rolling update: created, ready, SIGTERM, exited, deleted', () => {
    expect(kinds(undefined, life.created)).toEqual(['replica-created']);
    expect(kinds(life.created, life.running)).toEqual([]);
    expect(kinds(life.running, life.ready)).toEqual(['replica-ready']);
    expect(kinds(life.ready, life.terminating)).toEqual(['replica-unready', 'sigterm']);
    expect(kinds(life.terminating, life.exited)).toEqual(['replica-exited']);
    expect(kinds(life.exited, undefined)).toEqual(['replica-exited']);
  });

  test('events carry component, pod name, version label and the grace period', () => {
    const [sigterm] = podEvents(life.ready, life.terminating).filter((e) => e.kind === 'sigterm');
    expect(sigterm).toEqual({
      kind: 'sigterm',
      component: 'gateway',
      replica: 'gateway-6c9f8d7b5-x2x9q',
      version: 'v1.8.0',
      detail: { gracePeriodSeconds: 30 },
    });
  });

  test('a container killed at the end of its grace period (exit 137) is a sigkill, not a clean exit', () => {
    const [e] = podEvents(life.terminating, life.killed);
    expect(e?.kind).toBe('sigkill');
    expect(e?.detail).toMatchObject({ exitCode: 137 });
  });

  test('a ready pod deleted without an update in between still reads unready, then exited', () => {
    expect(kinds(life.ready, undefined)).toEqual(['replica-unready', 'replica-exited']);
  });
});

describe('EndpointSlice changes', () => {
  const { before, after } = kubeFixture<{ before: V1EndpointSlice; after: V1EndpointSlice }>('endpointslices.yaml');

  test('the new pod is added and the terminating old pod removed; unchanged pods give nothing', () => {
    expect(endpointSliceEvents(before, after)).toEqual([
      { kind: 'endpoint-added', component: 'gateway', replica: 'gateway-6c9f8d7b5-x2x9q', version: '' },
      { kind: 'endpoint-removed', component: 'gateway', replica: 'gateway-7d4b9c8f6-kq2mz', version: '' },
    ]);
  });

  test('a slice deleted removes every ready endpoint', () => {
    expect(
      endpointSliceEvents(after, undefined)
        .map((e) => e.replica)
        .sort(),
    ).toEqual(['gateway-6c9f8d7b5-x2x9q', 'gateway-7d4b9c8f6-p8v5d']);
  });

  test('ready pods of a service (what the tunnels balance over)', () => {
    expect([...readyPodsOf([after], 'gateway')].sort()).toEqual(['gateway-6c9f8d7b5-x2x9q', 'gateway-7d4b9c8f6-p8v5d']);
    expect(readyPodsOf([after], 'console').size).toBe(0);
  });
});

describe('Helm hook Jobs', () => {
  const jobs = kubeFixture<Record<'created' | 'complete' | 'failed' | 'plain', V1Job>>('jobs.yaml');

  test('a hook job is created then succeeds or fails; a job that is not a hook is ignored', () => {
    expect(jobEvents(undefined, jobs.created)).toEqual([
      {
        kind: 'replica-created',
        component: 'control-plane',
        replica: 'upcert-platform-migrate-3',
        version: 'v1.8.0',
        detail: { hook: 'pre-upgrade' },
      },
    ]);
    expect(jobEvents(jobs.created, jobs.complete)[0]?.detail).toMatchObject({ outcome: 'succeeded' });
    expect(jobEvents(jobs.created, jobs.failed)[0]?.detail).toMatchObject({ outcome: 'failed', failed: 1 });
    expect(jobEvents(jobs.complete, jobs.complete)).toEqual([]);
    expect(jobEvents(undefined, jobs.plain)).toEqual([]);
  });
});

describe('what log collection picks', () => {
  const pods = kubeFixture<{ items: V1Pod[] }>('pods.yaml').items;

  test('unready pods that are not terminating get described', () => {
    expect(unreadyPods(pods).map((p) => `${p.name}:${p.waitingReason}`)).toEqual([
      'control-plane-5b8d9f7c44-tw7rn:CrashLoopBackOff',
      'console-84c6d5b7f9-9hq4d:ErrImageNeverPull',
    ]);
  });

  test('containers that restarted get their previous logs', () => {
    expect(restartedContainers(pods)).toEqual([
      { pod: 'control-plane-5b8d9f7c44-tw7rn', container: 'control-plane', restarts: 3 },
    ]);
  });
});
