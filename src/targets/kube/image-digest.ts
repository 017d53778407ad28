/**
 * Digests of running images (`release-pinned` on Kubernetes). A pod's `status.containerStatuses[].imageID`
 * depends on the runtime and on how the image got to the node:
 * - pulled from a registry (containerd): `registry.example/upcert/gateway@sha256:<manifest digest>`;
 * - dockershim (old clusters): `docker-pullable://upcert/gateway@sha256:<manifest digest>`;
 * - loaded with `kind load` (no registry): `sha256:<config digest>`, or a digest name containerd made at
 *   import (`docker.io/library/import-2025-05-20@sha256:<digest of a manifest it wrote>`).
 * The release manifest records the registry digest when the image was pushed, else the image ID (config
 * digest) from `docker image inspect`. A node's image table (`crictl images -o json`) maps every name and
 * digest of an image to its ID, which is how a kind-loaded image's digest is traced back to the recorded one.
 */
const digestPattern = /sha256:[0-9a-f]{64}/;

/** `sha256:<hex>` named by an imageID (any of the forms above), or undefined. */
export function digestOfImageId(imageId: string | undefined): string | undefined {
  if (!imageId) return undefined;
  const at = imageId.lastIndexOf('@');
  const tail = at >= 0 ? imageId.slice(at + 1) : imageId.replace(/^[a-z-]+:\/\//, '');
  return digestPattern.exec(tail)?.[0];
}

/** One image as a node's runtime lists it (CRI `ListImages`: `crictl images -o json`). */
export interface NodeImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
}

/** Every digest a node knows an image by (its ID and each repo digest) → the image's ID. */
export function digestAliases(images: readonly NodeImage[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const image of images) {
    const id = digestOfImageId(image.id);
    if (!id) continue;
    aliases.set(id, id);
    for (const ref of image.repoDigests) {
      const d = digestOfImageId(ref);
      if (d) aliases.set(d, id);
    }
  }
  return aliases;
}

export type DigestVerdict = 'equal' | 'equal-by-image-id' | 'differs' | 'unknown';

/**
 * Whether a running container runs the recorded digest: equal outright, or equal once both are traced to
 * the same image ID through the node's image table (kind-loaded images). `unknown` when there is no
 * imageID (container not started) or no recorded digest (images not built).
 */
export function matchDigest(
  imageId: string | undefined,
  recorded: string | null | undefined,
  aliases: ReadonlyMap<string, string> = new Map(),
): DigestVerdict {
  const running = digestOfImageId(imageId);
  if (!running || !recorded) return 'unknown';
  if (running === recorded) return 'equal';
  const a = aliases.get(running);
  const b = aliases.get(recorded) ?? recorded;
  return a !== undefined && a === b ? 'equal-by-image-id' : 'differs';
}

/** The digest `release-pinned` should compare: the recorded one when it matches, else what runs. */
export function reportedDigest(
  imageId: string | undefined,
  recorded: string | null | undefined,
  aliases?: ReadonlyMap<string, string>,
): string | undefined {
  const verdict = matchDigest(imageId, recorded, aliases);
  if (verdict === 'equal' || verdict === 'equal-by-image-id') return recorded ?? undefined;
  return digestOfImageId(imageId);
}
