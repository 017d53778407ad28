/**
 * Client wiring only: the rollout watcher's informers against a FAKE API server (an HTTP server speaking the
 * list + watch protocol with canned objects). This PROVES NOTHING ABOUT KUBERNETES: not its event order, its
 * timing, nor what a real kubelet reports. It shows that list, watch and the event mapping are wired together.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterEach, expect, test } from 'vitest';
import { createLogger } from '../../../src/common/logger.ts';
import type { RolloutEvent } from '../../../src/common/rollout-event.ts';
import { RolloutWatcher } from '../../../src/targets/kube/rollout-watcher.ts';
import { kubeFixture } from '../../fixtures/kube/load.ts';

const life = kubeFixture<Record<string, V1Pod>>('pod-lifecycle.yaml');
const { after: slice } = kubeFixture<{ after: Record<string, unknown> }>('endpointslices.yaml');
const withRv = (o: object, rv: string) => ({
  ...o,
  metadata: { ...(o as { metadata: object }).metadata, namespace: 'upcert-platform', resourceVersion: rv },
});
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function fakeApiServer(): Promise<{ url: string; watches: http.ServerResponse[] }> {
  const watches: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = url.pathname.split('/').at(-1);
    res.setHeader('content-type', 'application/json');
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200);
      res.flushHeaders();
      watches.push(res);
      if (kind === 'pods') {
        res.write(`${JSON.stringify({ type: 'MODIFIED', object: withRv(life.ready!, '11') })}\n`);
        res.write(`${JSON.stringify({ type: 'DELETED', object: withRv(life.ready!, '12') })}\n`);
      }
      return;
    }
    const items =
      kind === 'pods' ? [withRv(life.running!, '10')] : kind === 'endpointslices' ? [withRv(slice, '10')] : [];
    res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '10' }, items }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(async () => {
    for (const w of watches) w.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, watches };
}

test('fake API server (proves nothing about Kubernetes): informers list, watch and map pods and EndpointSlices to timeline events', async () => {
  const api = await fakeApiServer();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
    users: [{ name: 'fake', token: 'not-a-real-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
    currentContext: 'fake',
  });
  let t = 0;
  const watcher = new RolloutWatcher(kc, 'upcert-platform', () => ++t, createLogger('fake-api'));
  stops.push(() => watcher.stop());
  const events: RolloutEvent[] = [];
  watcher.subscribe((e) => events.push(e));
  await watcher.start();
  const deadline = Date.now() + 5000;
  while (events.filter((e) => e.kind === 'replica-exited').length === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const mine = events.filter((e) => e.replica === 'gateway-6c9f8d7b5-x2x9q').map((e) => e.kind);
  expect(mine.filter((k) => !k.startsWith('endpoint-'))).toEqual([
    'replica-created',
    'replica-ready',
    'replica-unready',
    'replica-exited',
  ]);
  expect(mine.filter((k) => k.startsWith('endpoint-'))).toEqual(['endpoint-added']);
  expect(events.map((e) => e.t)).toEqual([...events.map((e) => e.t)].sort((a, b) => a - b));
  expect(watcher.readyPods('gateway')).toEqual(new Set(['gateway-7d4b9c8f6-p8v5d', 'gateway-6c9f8d7b5-x2x9q']));
  expect(watcher.pods()).toEqual([]);
});
