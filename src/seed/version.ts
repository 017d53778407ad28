/** Release versions (`v1.8.0`) compared numerically, never as strings (`v1.10.0` > `v1.9.0`). */
function parts(version: string): [number, number, number] {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`compare versions: not a version like v1.8.0 (${JSON.stringify(version)})`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < 3; i++) {
    const d = pa[i]! - pb[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `version` has what `since` introduced (no `since` means: from the first release). */
export function knows(version: string, since: string | undefined): boolean {
  return since === undefined || compareVersions(version, since) >= 0;
}
