import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { releasePinned } from '../../../src/checks/release-pinned/check.ts';
import { loadRelease } from '../../../src/release/catalog.ts';
import { recordedDigest } from '../../../src/release/images.ts';
import { parseCrictlImages } from '../../../src/targets/kind/kind-cli.ts';
import { componentStatuses } from '../../../src/targets/kube/component-status.ts';
import { digestAliases, digestOfImageId, matchDigest } from '../../../src/targets/kube/image-digest.ts';
import { kubeFixture } from '../../fixtures/kube/load.ts';

const hex = (c: string) => c.repeat(64);
const configDigest = 'sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0';
const importDigest = 'sha256:5f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';
const nodeImages = parseCrictlImages(JSON.stringify(kubeFixture('node-images.json')));

describe('imageID forms', () => {
  test.each([
    [`sha256:${hex('a')}`, `sha256:${hex('a')}`],
    [`docker.io/upcert/gateway@sha256:${hex('b')}`, `sha256:${hex('b')}`],
    [`docker-pullable://upcert/gateway@sha256:${hex('c')}`, `sha256:${hex('c')}`],
    [`docker://sha256:${hex('d')}`, `sha256:${hex('d')}`],
    ['', undefined],
    ['upcert/gateway:v1.8.0', undefined],
  ])('%s → %s', (id, digest) => {
    expect(digestOfImageId(id)).toBe(digest);
  });
});

describe('matching a running container against the recorded digest', () => {
  const aliases = digestAliases(nodeImages);

  test('a kind-loaded image reports the digest containerd made at import; the node table traces it to the image ID', () => {
    const imageId = `docker.io/library/import-2026-11-27@${importDigest}`;
    expect(matchDigest(imageId, configDigest)).toBe('differs');
    expect(matchDigest(imageId, configDigest, aliases)).toBe('equal-by-image-id');
  });

  test('a registry digest matches outright; another image never matches; nothing recorded is unknown', () => {
    expect(matchDigest(`r.example/upcert/gateway@sha256:${hex('e')}`, `sha256:${hex('e')}`)).toBe('equal');
    expect(matchDigest(`sha256:${hex('1')}`, configDigest, aliases)).toBe('differs');
    expect(matchDigest(`sha256:${hex('1')}`, null, aliases)).toBe('unknown');
    expect(matchDigest('', configDigest, aliases)).toBe('unknown');
  });

  test('the image ID of an image with no repo digest is its own alias only', () => {
    expect(aliases.get('sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809')).toBe(
      'sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809',
    );
  });
});

describe('release-pinned on Kubernetes pods', () => {
  const pods = kubeFixture<{ items: V1Pod[] }>('pods.yaml').items;
  const v180 = loadRelease('v1.8.0');
  const recorded = structuredClone(v180);
  recorded.components.gateway.image.digest = configDigest;

  test('terminating pods are left out; version from the label, digest traced through the node table', () => {
    const status = componentStatuses(pods, recorded, digestAliases(nodeImages));
    const gateway = status.find((c) => c.name === 'gateway')!;
    expect(gateway.replicas.map((r) => r.id)).toEqual(['gateway-6c9f8d7b5-x2x9q']);
    expect(gateway).toMatchObject({ version: 'v1.8.0', digest: configDigest, readyReplicas: 1 });
    const console = status.find((c) => c.name === 'console')!;
    expect(console.replicas[0]).toMatchObject({ ready: false, digest: undefined, phase: 'ErrImageNeverPull' });
  });

  test('the check passes for a pod that runs the recorded image and names the one that does not', async () => {
    const status = componentStatuses(pods, recorded, digestAliases(nodeImages));
    const evidence = await releasePinned.gather(
      {
        digestKind: 'image',
        expectedRelease: () => recorded,
        requirePlatform: () => ({ components: async () => status }),
      } as never,
      'upgrade',
    );
    const result = releasePinned.judge(evidence, 'upgrade');
    expect(result.passed).toBe(false);
    expect(result.summary).not.toContain('gateway-6c9f8d7b5-x2x9q: image digest');
    expect(result.summary).toContain('control-plane-5b8d9f7c44-tw7rn: image digest');
  });
});

describe('the digest images:build records', () => {
  test('the registry digest when the image has one for its repository, else the image ID (config digest)', () => {
    expect(
      recordedDigest({ Id: configDigest, RepoDigests: [`upcert/gateway@sha256:${hex('f')}`] }, 'upcert/gateway'),
    ).toEqual({
      digest: `sha256:${hex('f')}`,
      digestKind: 'repo',
    });
    expect(recordedDigest({ Id: configDigest, RepoDigests: [] }, 'upcert/gateway')).toEqual({
      digest: configDigest,
      digestKind: 'image-id',
    });
    expect(recordedDigest({ Id: configDigest, RepoDigests: null }, 'upcert/gateway').digestKind).toBe('image-id');
  });
});
