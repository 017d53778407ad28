import { type CommandRunner, execaRunner, mustRun } from '../common/command.ts';
import type { Logger } from '../common/logger.ts';
import type { LoadedRelease } from './catalog.ts';
import type { BuiltImage } from './images.ts';
import { componentNames } from './manifest.ts';

/**
 * `docker tag` + `docker push` of every component image of the releases to `registry`, then the repository
 * digest the registry answered (`RepoDigests` of `docker image inspect`: `<registry>/<repo>@sha256:<manifest
 * digest>`), which is what a pod pulls by and reports as its imageID. Recorded with `digestKind: repo`.
 */
export async function pushImages(o: {
  releases: LoadedRelease[];
  registry: string;
  run?: CommandRunner;
  log: Logger;
}): Promise<BuiltImage[]> {
  const run = o.run ?? execaRunner;
  const registry = o.registry.replace(/\/+$/, '');
  const pushed: BuiltImage[] = [];
  for (const release of o.releases) {
    for (const component of componentNames) {
      const { repository, tag } = release.components[component].image;
      const local = `${repository}:${tag}`;
      const remoteRepo = `${registry}/${repository}`;
      const remote = `${remoteRepo}:${tag}`;
      await mustRun(run, `tag ${local}`, 'docker', ['tag', local, remote], { timeoutMs: 30_000 });
      await mustRun(run, `push ${remote}`, 'docker', ['push', remote], { timeoutMs: 600_000 });
      const inspect = JSON.parse(
        await mustRun(run, `inspect ${remote}`, 'docker', ['image', 'inspect', remote], { timeoutMs: 30_000 }),
      ) as { RepoDigests?: string[] }[];
      const repoDigest = (inspect[0]?.RepoDigests ?? []).find((d) => d.startsWith(`${remoteRepo}@`));
      if (!repoDigest)
        throw new Error(
          `push ${remote}: the registry gave no repository digest (RepoDigests: ${JSON.stringify(inspect[0]?.RepoDigests ?? [])})`,
        );
      const digest = repoDigest.slice(repoDigest.indexOf('@') + 1);
      o.log.info(`pushed ${remote}: ${digest} [repo]`);
      pushed.push({ release: release.name, component, ref: remote, digest, digestKind: 'repo' });
    }
  }
  return pushed;
}
