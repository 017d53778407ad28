import { EnvironmentError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { unbuiltComponents } from './local-images.ts';
import { requireTools } from './tools.ts';

/**
 * What a Kubernetes run needs before anything starts (exit 3 with the fixing command): the tools on PATH
 * and, for kind (which loads local images), every image digest of both releases recorded by `images:build`.
 */
export function kubePreflight(
  target: 'kind' | 'cluster',
  releases: readonly LoadedRelease[],
  pathVar: string | undefined,
): void {
  requireTools(target, pathVar);
  if (target !== 'kind') return;
  const unbuilt = releases.flatMap((r) => unbuiltComponents(r).map((c) => `${r.name}/${c}`));
  if (unbuilt.length > 0) {
    throw new EnvironmentError(`preflight: no image digest recorded for ${unbuilt.join(', ')}`, {
      fix: 'npm run images:build',
    });
  }
}
