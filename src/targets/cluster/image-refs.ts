import { BadInputError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { componentNames } from '../../release/manifest.ts';

/**
 * Images a cluster pulls from a registry: `repository:tag@digest` resolves by the manifest digest a registry
 * serves. An image ID (`docker image inspect .Id`, the config digest) is not one, so a pod pinned by it
 * cannot be pulled: the cluster target refuses such a release before anything starts (exit 2).
 */
export function pullableDigestsMustBeRecorded(release: LoadedRelease): void {
  const bad = componentNames.flatMap((c) => {
    const image = release.components[c].image;
    if (!image.digest) return [`${c}: no digest recorded`];
    if (image.digestKind !== 'repo') return [`${c}: ${image.digest} is ${image.digestKind ?? 'of unknown kind'}`];
    return [];
  });
  if (bad.length > 0) {
    throw new BadInputError(
      `--from/--to ${release.name}: the cluster target pulls images by registry digest, and this manifest records ${bad.join('; ')} (an image ID is the config digest of a local build: no registry can resolve repo:tag@<image id>). Push the images and record their repository digests: npm run images:push -- --registry <registry> ${release.name}`,
      { field: `${release.file}: components.*.image.digestKind` },
    );
  }
}

/** `--registry R`: the repository under R (`registry.example:5000/upcert/gateway`). */
export function withRegistry(repository: string, registry: string | undefined): string {
  if (!registry) return repository;
  return `${registry.replace(/\/+$/, '')}/${repository}`;
}
