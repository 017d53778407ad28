import type { Phase } from '../../release/manifest.ts';
import { diffFingerprints, type FingerprintDifference } from '../../seed/index.ts';
import type { RunState } from '../run-state.ts';
import { fingerprints } from './tenant-data.ts';

/** A difference between two fingerprints of tenant data (seed/fingerprint.ts). */
export interface RecordDiff {
  kind: string;
  id: string;
  field: string;
  before: unknown;
  after: unknown;
}

/** Differences between the pre-upgrade fingerprints and now, from the API and the database (once per phase). */
export function currentDiffs(run: RunState, phase: Phase) {
  const cacheKey = `preservation-diffs:${phase}`;
  let pending = run.memo.get(cacheKey) as
    | Promise<{ diffs: FingerprintDifference[]; counts: Map<string, number> }>
    | undefined;
  if (!pending) {
    pending = (async () => {
      const before = run.before;
      if (!before) throw new Error('no pre-upgrade fingerprint');
      const now = await fingerprints(run);
      const seen = new Set<string>();
      const diffs: FingerprintDifference[] = [];
      for (const d of [...diffFingerprints(before.api, now.api), ...diffFingerprints(before.database, now.database)]) {
        const key = `${d.kind}/${d.id}/${d.field}`;
        if (!seen.has(key)) diffs.push(d);
        seen.add(key);
      }
      const counts = new Map<string, number>();
      for (const r of before.api.records) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
      return { diffs, counts };
    })();
    run.memo.set(cacheKey, pending);
  }
  return pending;
}
