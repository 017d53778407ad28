import type { CommandRunner } from '../../common/command.ts';
import type { Values } from '../../common/deep-merge.ts';
import { EnvironmentError, StepFailedError } from '../../common/errors.ts';
import type { LoadedRelease } from '../../release/catalog.ts';
import { imageRefs, localImagesMustMatch } from '../kube/local-images.ts';
import type { KindCli } from './kind-cli.ts';
import { imagesToLoad } from './kind-values.ts';

/**
 * Every image the run will need, loaded before the install (never inside the measured window): the images of
 * the release installed and of every release the run will upgrade or roll back to, plus every other image the
 * chart runs with `Never` (provider-mock). Each release image must be the one its manifest recorded.
 */
export async function preloadImages(
  run: CommandRunner,
  kind: KindCli,
  releases: readonly LoadedRelease[],
  values: Values,
): Promise<Set<string>> {
  for (const r of releases) await localImagesMustMatch(run, r);
  const refs = new Set([...releases.flatMap((r) => imageRefs(r)), ...imagesToLoad(values)]);
  for (const ref of refs) {
    const r = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) {
      throw new EnvironmentError(`load images: docker has no image ${ref}`, { fix: 'npm run images:build' });
    }
  }
  await kind.load([...refs]);
  return refs;
}

/** A release's values may only run `Never` images that were loaded: otherwise its pods sit in ErrImageNeverPull. */
export function loadedMustCover(loaded: ReadonlySet<string>, values: Values, release: string): void {
  const missing = imagesToLoad(values).filter((ref) => !loaded.has(ref));
  if (missing.length > 0) {
    throw new StepFailedError(
      `prepare ${release}: ${missing.join(', ')} run with imagePullPolicy Never but were not loaded at install (pass every release of the run to the kind target)`,
    );
  }
}
