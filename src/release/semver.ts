/**
 * Semantic Versioning 2.0.0 precedence (semver.org §11), for release versions with or without a leading `v`
 * (the reference platform writes `v1.8.0`; other platforms write `1.8.0`). Build metadata is ignored.
 */
const pattern = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export interface SemVer {
  core: [number, number, number];
  prerelease: string[];
}

export function parseSemver(version: string): SemVer | undefined {
  const m = pattern.exec(version.trim());
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], prerelease: m[4] ? m[4].split('.') : [] };
}

function compareIdentifier(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Math.sign(Number(a) - Number(b));
  if (na !== nb) return na ? -1 : 1; // numeric identifiers have lower precedence
  return a < b ? -1 : a > b ? 1 : 0;
}

/** <0, 0, >0 as `a` precedes, equals or follows `b`; undefined when either is not a semantic version. */
export function compareSemver(a: string, b: string): number | undefined {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return Math.sign(x.core[i]! - y.core[i]!);
  // a pre-release precedes its release: 1.8.0-rc.1 < 1.8.0
  if (x.prerelease.length === 0 || y.prerelease.length === 0)
    return x.prerelease.length === y.prerelease.length ? 0 : x.prerelease.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const [p, q] = [x.prerelease[i], y.prerelease[i]];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const c = compareIdentifier(p, q);
    if (c !== 0) return c;
  }
  return 0;
}
