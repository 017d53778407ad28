import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { type AnyRelease, type PlatformReleases, releaseLookup } from '../release/catalog.ts';
import { supportOf } from '../release/support-policy.ts';

const log = createLogger('certify');

/** The command that certifies a path hop by hop. */
export function pathCommand(path: string[]): string {
  const through = path.slice(1, -1).map((r) => ` --through ${r}`);
  return `upcert certify --from ${path[0]}${through.join('')} --to ${path.at(-1)}`;
}

/**
 * The support policy before anything starts: a hop the target release does not support directly is bad
 * input (exit 2) naming the path to take, unless `--unsupported` asks to prove that it breaks.
 */
export function upgradeMustBeSupported(
  config: UpcertConfig,
  releases: AnyRelease[],
  platform?: PlatformReleases,
): void {
  const lookup = releaseLookup(undefined, platform);
  for (let i = 1; i < releases.length; i++) {
    const [from, to] = [releases[i - 1]!, releases[i]!];
    const support = supportOf(from.version, to.version, lookup);
    if (support.supported) continue;
    const take = support.path ? `; take the path ${support.path.join(' → ')}: ${pathCommand(support.path)}` : '';
    const message = `${from.name} → ${to.name} is not a supported upgrade: ${support.reason}${take}`;
    if (config.unsupported) {
      log.warn(`--unsupported: certifying it anyway to prove that it breaks (${message})`);
      continue;
    }
    throw new BadInputError(`certify: ${message} (or pass --unsupported to prove that it breaks)`, {
      field: '--to',
    });
  }
}
