import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { defaultRoot, loadRelease } from '../../src/release/catalog.ts';
import { imageValues, kubeValues, writeValuesFile } from '../../src/release/release-values.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'upcert-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digest = `sha256:${'ab'.repeat(32)}`;

describe('values of a Kubernetes install (the local target layering, one source)', () => {
  test('release images: pinned by digest for a registry, tag only for kind-loaded images; a null digest is never pinned', () => {
    const release = structuredClone(loadRelease('v1.8.0'));
    release.components.gateway.image.digest = digest;
    expect(imageValues(release, true)).toMatchObject({
      gateway: { image: { repository: 'upcert/gateway', tag: 'v1.8.0', digest } },
      controlPlane: { image: { repository: 'upcert/control-plane', tag: 'v1.8.0', digest: '' } },
    });
    expect(imageValues(release, false)).toMatchObject({ gateway: { image: { digest: '' } } });
  });

  test('chart defaults < HA < release (images and chart.values) < user files < target overrides', async () => {
    const user = path.join(dir, 'user.yaml');
    writeFileSync(user, 'gateway:\n  replicas: 3\n  maxRequestBytes: 2048\nglobal:\n  imagePullPolicy: Always\n');
    const drift = loadRelease('v1.8.0-image-drift'); // its chart.values leave the gateway at v1.7.0
    const values = await kubeValues({
      root: defaultRoot,
      release: drift,
      highAvailability: true,
      valuesFiles: [user],
      pinDigests: false,
      overrides: { global: { imagePullPolicy: 'Never' } },
    });
    expect(values).toMatchObject({
      global: { highAvailability: true, imagePullPolicy: 'Never' },
      gateway: {
        replicas: 3,
        maxRequestBytes: 2048,
        image: { repository: 'upcert/gateway', tag: 'v1.7.0' },
        drain: { maxStreamSeconds: 20 },
      },
      controlPlane: { image: { tag: 'v1.8.0' } },
    });
  });

  test('the values file written for helm never holds secrets', async () => {
    const file = await writeValuesFile(dir, 'v1.8.0', {
      gateway: { replicas: 2 },
      secrets: { adminToken: 'do-not-write-me' },
    });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('do-not-write-me');
    expect(parse(text)).toEqual({ gateway: { replicas: 2 } });
  });
});
