import { BadInputError } from '../common/errors.ts';
import {
  type AnyRelease,
  type LoadedRelease,
  loadPlatformRelease,
  loadRelease,
  type PlatformReleases,
} from './catalog.ts';
import { compareSemver } from './semver.ts';

/** Loads the release a flag names; an unknown one is bad input naming the flag (`--from`/`--to`). */
export function loadReleaseOf(flag: '--from' | '--to', name: string, root?: string): LoadedRelease;
export function loadReleaseOf(
  flag: string,
  name: string,
  root: string | undefined,
  platform: PlatformReleases,
): AnyRelease;
export function loadReleaseOf(flag: string, name: string, root?: string, platform?: PlatformReleases): AnyRelease {
  try {
    return platform ? loadPlatformRelease(name, platform, root) : loadRelease(name, root);
  } catch (error) {
    if (error instanceof BadInputError && error.message.startsWith('unknown release'))
      throw new BadInputError(`${flag}: ${error.message}`, { field: flag, cause: error });
    throw error;
  }
}

/**
 * An upgrade goes from an older release to a newer one (versions ordered as semver). The same release twice
 * and a downgrade are bad input before anything starts; a downgrade is what the rollback phase proves.
 */
export function pairMustBeAnUpgrade(from: AnyRelease, to: AnyRelease): void {
  const pair = `--from ${from.name} --to ${to.name}`;
  if (from.name === to.name)
    throw new BadInputError(`${pair}: the same release twice; an upgrade needs an older --from and a newer --to`, {
      field: '--to',
    });
  const order = compareSemver(from.version, to.version);
  if (order === 0 || (order === undefined && from.version === to.version))
    throw new BadInputError(`${pair}: both are version ${to.version}; an upgrade needs a newer --to`, {
      field: '--to',
    });
  if (order !== undefined && order > 0)
    throw new BadInputError(
      `${pair}: a downgrade (${from.version} → ${to.version}); certify the upgrade --from ${to.name} --to ${from.name}, whose rollback phase proves the way back`,
      { field: '--to' },
    );
}
