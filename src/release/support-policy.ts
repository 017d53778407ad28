import type { ReleaseManifest } from './manifest.ts';

/** The good release of a version, or undefined when the catalog has none. */
export type ReleaseLookup = (version: string) => Pick<ReleaseManifest, 'version' | 'upgradeFrom'> | undefined;

/** What the support policy says of upgrading `from` to `to` directly. */
export type Support =
  | { supported: true }
  | {
      supported: false;
      reason: string;
      /** the supported path to take instead (from … to), when there is one. */
      path?: string[];
    };

const maxHops = 16;

/**
 * The support policy (DESIGN.md "Matrix"): the target release's `upgradeFrom` decides. A version listed
 * without `through` upgrades directly; one listed with `through` must go through that release (the path
 * is resolved hop by hop); one not listed is unsupported. A release that declares no policy allows all.
 */
export function supportOf(from: string, to: string, lookup: ReleaseLookup): Support {
  const policy = lookup(to)?.upgradeFrom;
  if (policy === undefined) return { supported: true };
  const entry = policy.find((e) => e.version === from);
  if (!entry) {
    const listed = policy.map((e) => e.version).join(', ') || 'none';
    return { supported: false, reason: `${to} does not list ${from} in its upgradeFrom (it lists: ${listed})` };
  }
  if (!entry.through) return { supported: true };
  const path = supportedPath(from, to, lookup);
  return { supported: false, reason: entry.reason ?? `${to} is reached from ${from} through ${entry.through}`, path };
}

/** The supported path from `from` to `to` (both included), or undefined when the policy gives none. */
export function supportedPath(from: string, to: string, lookup: ReleaseLookup, depth = 0): string[] | undefined {
  if (depth > maxHops) return undefined;
  const policy = lookup(to)?.upgradeFrom;
  if (policy === undefined) return [from, to];
  const entry = policy.find((e) => e.version === from);
  if (!entry) return undefined;
  if (!entry.through) return [from, to];
  const head = supportedPath(from, entry.through, lookup, depth + 1);
  return head ? [...head, to] : undefined;
}

/** Every hop of a path that the policy does not support directly, with why. */
export function unsupportedHops(path: string[], lookup: ReleaseLookup): { from: string; to: string; reason: string }[] {
  const found: { from: string; to: string; reason: string }[] = [];
  for (let i = 1; i < path.length; i++) {
    const support = supportOf(path[i - 1]!, path[i]!, lookup);
    if (!support.supported) found.push({ from: path[i - 1]!, to: path[i]!, reason: support.reason });
  }
  return found;
}
