import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { BadInputError } from '../../common/errors.ts';

export const topologies = ['single', 'ha'] as const;
export type Topology = (typeof topologies)[number];

const nodeImagesSchema = z.strictObject({
  kind: z.string().regex(/^v\d+\.\d+\.\d+$/),
  images: z.record(z.string().regex(/^\d+\.\d+$/), z.string().regex(/^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/)),
});
export type NodeImages = z.infer<typeof nodeImagesSchema>;

/** `kind/node-images.yaml`: the kind release and its node image per Kubernetes baseline. */
export function readNodeImages(root: string): NodeImages {
  const file = path.join(root, 'kind', 'node-images.yaml');
  const parsed = nodeImagesSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new BadInputError(
      `kind/node-images.yaml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The node image of a baseline (`1.32`); a baseline with no pinned image is bad input naming it. */
export function nodeImageFor(images: NodeImages, baseline: string): string {
  const image = images.images[baseline];
  if (!image) {
    const known = Object.keys(images.images).join(', ');
    throw new BadInputError(
      `kubernetes: no kind node image pinned for baseline ${baseline} (kind/node-images.yaml has ${known})`,
      {
        field: 'kubernetes',
      },
    );
  }
  return image;
}

/** `kind/<topology>.yaml`. */
export function clusterConfigFile(root: string, topology: Topology): string {
  return path.join(root, 'kind', `${topology}.yaml`);
}
