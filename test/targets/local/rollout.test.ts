import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StepFailedError } from '../../../src/common/errors.ts';
import type { RolloutEvent } from '../../../src/common/rollout-event.ts';
import { Timeline } from '../../../src/common/timeline.ts';
import { Deployment, type Revision } from '../../../src/targets/local/deployment.ts';
import { FrontDoor } from '../../../src/targets/local/front-door.ts';
import { rollingUpdate } from '../../../src/targets/local/rollout.ts';
import type { WorkloadSettings } from '../../../src/targets/local/workload-settings.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const standIn = (variant: 'component' | 'stubborn' | 'never-ready' | 'crash-once') =>
  path.join(here, `stand-in-${variant}.mjs`);

const settings = (over: Partial<WorkloadSettings> = {}): WorkloadSettings => ({
  name: 'gateway',
  replicas: 2,
  readinessProbe: {
    periodSeconds: 0.05,
    failureThreshold: 1,
    successThreshold: 1,
    timeoutSeconds: 1,
    initialDelaySeconds: 0,
  },
  preStop: null,
  terminationGracePeriodSeconds: 5,
  cpuRequestMilli: null,
  nice: 0,
  ...over,
});

const propagationMs = 300;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((c) => c()));
});

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-rollout-test-'));
  const configFile = path.join(dir, 'gateway.json');
  await writeFile(configFile, JSON.stringify({ standIn: { readyAfterMs: 150 } }));
  const door = await FrontDoor.open('gateway');
  const events: RolloutEvent[] = [];
  const timeline = new Timeline(() => performance.now());
  timeline.subscribe((e) => events.push(e));
  const deployment = new Deployment({
    name: 'gateway',
    door,
    timeline,
    endpointPropagationMs: propagationMs,
    configFile,
    secretsFile: path.join(dir, 'secrets.json'),
    logsDir: dir,
  });
  cleanups.push(async () => {
    await deployment.stop();
    await door.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { deployment, door, events, dir };
}

const rev = (number: number, version: string, bundle: string, over?: Partial<WorkloadSettings>): Revision => ({
  number,
  version,
  bundle,
  settings: settings(over),
});

/** Replays the timeline: live (created, not yet told to stop) and endpoint counts after every event. */
function replay(events: RolloutEvent[]) {
  const live = new Set<string>();
  const endpoints = new Set<string>();
  const samples: { kind: string; live: number; endpoints: number }[] = [];
  for (const e of events) {
    if (e.kind === 'replica-created') live.add(e.replica ?? '');
    if (e.kind === 'sigterm') live.delete(e.replica ?? '');
    if (e.kind === 'endpoint-added') endpoints.add(e.replica ?? '');
    if (e.kind === 'endpoint-removed') endpoints.delete(e.replica ?? '');
    samples.push({ kind: e.kind, live: live.size, endpoints: endpoints.size });
  }
  return samples;
}

const at = (events: RolloutEvent[], kind: string, replica: string) =>
  events.find((e) => e.kind === kind && e.replica === replica);

describe('rolling update (maxSurge 1, maxUnavailable 0) on stand-in processes', () => {
  it('surges by one, never serves with fewer than desired endpoints, and removes endpoints after SIGTERM', async () => {
    const { deployment, door, events } = await setup();
    await rollingUpdate(deployment, rev(1, 'v1', standIn('component')), { progressDeadlineMs: 10_000 });
    expect(door.endpoints()).toHaveLength(2);
    const installed = events.length;

    await rollingUpdate(deployment, rev(2, 'v2', standIn('component')), { progressDeadlineMs: 10_000 });
    const rollout = events.slice(installed);
    // every replica now runs v2; every v1 process has exited
    expect([...deployment.replicas.keys()].map((r) => r.version)).toEqual(['v2', 'v2']);
    expect(
      door
        .endpoints()
        .map((e) => e.replica)
        .sort(),
    ).toEqual(['gateway-v2-3', 'gateway-v2-4']);
    expect(rollout.filter((e) => e.kind === 'replica-exited').map((e) => e.version)).toEqual(['v1', 'v1']);

    const samples = replay(events).slice(installed);
    expect(Math.max(...samples.map((s) => s.live))).toBe(3); // desired + maxSurge, never more
    expect(Math.min(...samples.map((s) => s.endpoints))).toBeGreaterThanOrEqual(2); // maxUnavailable 0

    // order: the first new replica is ready before any old one gets SIGTERM
    const firstNewReady = at(rollout, 'replica-ready', 'gateway-v2-3')!;
    const firstSigterm = rollout.find((e) => e.kind === 'sigterm')!;
    expect(firstNewReady.t).toBeLessThanOrEqual(firstSigterm.t);
    // the next new replica is created as soon as an old one starts terminating (terminating pods do not count)
    expect(at(rollout, 'replica-created', 'gateway-v2-4')!.t - firstSigterm.t).toBeLessThan(100);

    // endpoint removal lands the propagation delay after SIGTERM (it races the shutdown)
    for (const old of ['gateway-v1-1', 'gateway-v1-2']) {
      const delay = at(events, 'endpoint-removed', old)!.t - at(events, 'sigterm', old)!.t;
      expect(delay).toBeGreaterThanOrEqual(propagationMs - 5);
      expect(delay).toBeLessThan(propagationMs + 250);
    }
    expect(rollout.at(-1)?.kind).toBe('rollout-complete');
  });

  it("runs each replica's process at the nice value its CPU request weighs to, and a new revision at its own", async () => {
    const { deployment } = await setup();
    await rollingUpdate(deployment, rev(1, 'v1', standIn('component'), { replicas: 1, nice: 7 }), {
      progressDeadlineMs: 10_000,
    });
    const [replica] = [...deployment.replicas.keys()];
    expect(replica?.pid).toBeDefined();
    expect(os.getPriority(replica!.pid!)).toBe(Math.min(19, os.getPriority() + 7)); // every thread: `nice -n 7`
    await rollingUpdate(deployment, rev(2, 'v2', standIn('component'), { replicas: 1, nice: 0 }), {
      progressDeadlineMs: 10_000,
    });
    const [next] = [...deployment.replicas.keys()];
    expect(os.getPriority(next!.pid!)).toBe(os.getPriority());
  });

  it('kills a replica with SIGKILL when it outlives its termination grace period', async () => {
    const { deployment, events } = await setup();
    const graceSeconds = 0.6;
    await rollingUpdate(
      deployment,
      rev(1, 'v1', standIn('stubborn'), { replicas: 1, terminationGracePeriodSeconds: graceSeconds }),
      {
        progressDeadlineMs: 10_000,
      },
    );
    await rollingUpdate(deployment, rev(2, 'v2', standIn('component'), { replicas: 1 }), {
      progressDeadlineMs: 10_000,
    });
    const term = at(events, 'sigterm', 'gateway-v1-1')!;
    const kill = at(events, 'sigkill', 'gateway-v1-1')!;
    expect(kill.t - term.t).toBeGreaterThanOrEqual(graceSeconds * 1000 - 5);
    expect(kill.t - term.t).toBeLessThan(graceSeconds * 1000 + 400);
    expect(at(events, 'replica-exited', 'gateway-v1-1')?.detail).toMatchObject({ signal: 'SIGKILL' });
  });

  it('stops at the progress deadline when a new replica never becomes ready, leaving the old ones serving', async () => {
    const { deployment, door, events } = await setup();
    await rollingUpdate(deployment, rev(1, 'v1', standIn('component')), { progressDeadlineMs: 10_000 });
    const started = Date.now();
    const failure = await rollingUpdate(deployment, rev(2, 'v2', standIn('never-ready')), {
      progressDeadlineMs: 1500,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailedError);
    const message = (failure as Error).message;
    expect(message).toContain('gateway');
    expect(message).toContain('gateway-v2-3');
    expect(message).toMatch(/"msg":"listening"/); // the tail of the replica's log
    expect(Date.now() - started).toBeLessThan(4000);
    expect(
      door
        .endpoints()
        .map((e) => e.replica)
        .sort(),
    ).toEqual(['gateway-v1-1', 'gateway-v1-2']);
    expect(events.some((e) => e.kind === 'sigterm')).toBe(false);
  });

  it('restarts a process that exits on its own, with back-off, and recovers readiness', async () => {
    const { deployment, door, events } = await setup();
    await rollingUpdate(deployment, rev(1, 'v1', standIn('crash-once'), { replicas: 1 }), {
      progressDeadlineMs: 10_000,
    });
    const exit = at(events, 'replica-exited', 'gateway-v1-1');
    expect(exit?.detail).toMatchObject({ code: 1, restarts: 1, unexpected: true });
    const ready = at(events, 'replica-ready', 'gateway-v1-1')!;
    expect(ready.t - exit!.t).toBeGreaterThanOrEqual(995); // first back-off: 1 s
    expect(door.endpoints().map((e) => e.replica)).toEqual(['gateway-v1-1']);
  });

  it('fails at once when asked to, naming the replica, its exit code and its log tail', async () => {
    const { deployment } = await setup();
    const started = Date.now();
    const failure = await rollingUpdate(deployment, rev(1, 'v1', standIn('crash-once'), { replicas: 1 }), {
      progressDeadlineMs: 10_000,
      failOnCrash: true,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailedError);
    expect((failure as Error).message).toMatch(/gateway-v1-1 \(v1\) exited before it became ready/);
    expect((failure as Error).message).toContain('last exit code 1');
    expect((failure as Error).message).toContain('crashing on purpose');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
