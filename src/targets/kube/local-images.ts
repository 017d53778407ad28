import type { CommandRunner } from '../../common/command.ts';
import { EnvironmentError, StepFailedError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { componentNames } from '../../release/manifest.ts';

/** `repository:tag` of every component image of a release. */
export function imageRefs(release: Pick<LoadedRelease, 'components'>): string[] {
  return componentNames.map((c) => `${release.components[c].image.repository}:${release.components[c].image.tag}`);
}

/** Components whose image digest was never recorded (`npm run images:build` not run). */
export function unbuiltComponents(release: Pick<LoadedRelease, 'components'>): string[] {
  return componentNames.filter((c) => !release.components[c].image.digest);
}

/**
 * Build once, promote by retag: the local Docker images a kind run loads must be the very images whose
 * digests the manifest recorded. A missing digest or image is the environment's fault (exit 3, with the
 * command that builds them); an image ID that differs is a failed step (the image was rebuilt).
 */
export async function localImagesMustMatch(run: CommandRunner, release: LoadedRelease): Promise<void> {
  const unbuilt = unbuiltComponents(release);
  if (unbuilt.length > 0) {
    throw new EnvironmentError(`load images: ${release.name} records no image digest for ${unbuilt.join(', ')}`, {
      fix: 'npm run images:build',
    });
  }
  for (const c of componentNames) {
    const { repository, tag, digest } = release.components[c].image;
    const ref = `${repository}:${tag}`;
    const r = await run('docker', ['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', ref], {
      timeoutMs: 30_000,
    });
    if (r.exitCode !== 0) {
      throw new EnvironmentError(`load images: docker has no image ${ref}`, { fix: 'npm run images:build' });
    }
    const [id = '', repoDigests = '[]'] = r.stdout.trim().split(' ');
    const known = [id, ...(JSON.parse(repoDigests) as string[]).map((d) => d.slice(d.indexOf('@') + 1))];
    if (!known.includes(digest as string)) {
      throw new StepFailedError(
        `load images: ${ref} is ${id}, ${release.name} recorded ${digest} (rebuilt since it was recorded? images are built once: retag, never rebuild)`,
      );
    }
  }
}

/** Whether a Docker engine answers (`docker version`). */
export async function dockerAnswers(run: CommandRunner): Promise<boolean> {
  const r = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 }).catch(
    () => undefined,
  );
  return r?.exitCode === 0;
}
