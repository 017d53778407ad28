/**
 * `npm run images:push -- --registry R`: what it asks docker and what it records. docker answers from a
 * recording MOCK here (no engine on the machines that run unit tests); the `docker image inspect` answer has
 * the shape the Docker Engine API documents for an image after a push (`RepoDigests: ["<repo>@sha256:..."]`
 * beside the `Id` config digest).
 */
import { describe, expect, test } from 'vitest';
import type { CommandRunner } from '../../src/common/command.ts';
import { createLogger } from '../../src/common/logger.ts';
import { loadRelease } from '../../src/release/catalog.ts';
import { pushImages } from '../../src/release/image-push.ts';

const manifestDigest = `sha256:${'b'.repeat(64)}`;
const imageId = `sha256:${'c'.repeat(64)}`;

function dockerMock(pushed: boolean) {
  const calls: string[] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push(`${file} ${args.join(' ')}`);
    if (args[0] === 'image' && args[1] === 'inspect') {
      const ref = args[2]!;
      const repo = ref.slice(0, ref.lastIndexOf(':'));
      return {
        stdout: JSON.stringify([{ Id: imageId, RepoDigests: pushed ? [`${repo}@${manifestDigest}`] : [] }]),
        stderr: '',
        exitCode: 0,
      };
    }
    return { stdout: '', stderr: '', exitCode: 0 };
  };
  return { run, calls };
}

describe('images:push', () => {
  test('tags, pushes and records the repository digest the registry answered (digestKind repo), never the image ID', async () => {
    const docker = dockerMock(true);
    const pushed = await pushImages({
      releases: [loadRelease('v1.8.0')],
      registry: '127.0.0.1:5000/',
      run: docker.run,
      log: createLogger('test'),
    });
    expect(docker.calls.slice(0, 3)).toEqual([
      'docker tag upcert/gateway:v1.8.0 127.0.0.1:5000/upcert/gateway:v1.8.0',
      'docker push 127.0.0.1:5000/upcert/gateway:v1.8.0',
      'docker image inspect 127.0.0.1:5000/upcert/gateway:v1.8.0',
    ]);
    expect(pushed).toHaveLength(4);
    expect(pushed.every((p) => p.digest === manifestDigest && p.digestKind === 'repo')).toBe(true);
  });

  test('a push the registry gave no digest for is an error, not an image ID recorded as if it were one', async () => {
    const docker = dockerMock(false);
    await expect(
      pushImages({
        releases: [loadRelease('v1.8.0')],
        registry: '127.0.0.1:5000',
        run: docker.run,
        log: createLogger('test'),
      }),
    ).rejects.toThrow(/the registry gave no repository digest/);
  });
});
