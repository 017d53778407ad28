import { type LoadedRelease, listReleaseFiles, loadRelease } from '../release/catalog.ts';
import type { CheckId, Phase } from '../release/manifest.ts';

/** The good pairs every selfcheck certifies (and `--repeat` repeats): each good release to the next. */
export const goodPairs: readonly (readonly [string, string])[] = [
  ['v1.7.0', 'v1.8.0'],
  ['v1.8.0', 'v1.9.0'],
];

export interface CheckAt {
  check: CheckId;
  phase: Phase;
}

/** One certification of the selfcheck: a good pair, or a broken release with its pair. */
export interface SelfcheckCase {
  /** `v1.7.0→v1.8.0#2` for a repeated good pair; the broken release's name for a defect. */
  name: string;
  /** `stress`: a good release with an honestly slow step (fixtures/releases/stress/): must pass, run once. */
  kind: 'good' | 'defect' | 'stress';
  from: string;
  to: string;
  defect?: string;
  role?: 'from' | 'to';
  expect: CheckAt[];
  collateral: CheckAt[];
}

function defectCase(release: LoadedRelease): SelfcheckCase {
  const pair = release.pair ?? '';
  const role = release.role ?? 'to';
  return {
    name: release.name,
    kind: 'defect',
    from: role === 'from' ? release.name : pair,
    to: role === 'from' ? pair : release.name,
    defect: release.defect,
    role,
    expect: release.expect ?? [],
    collateral: release.collateral ?? [],
  };
}

function stressCase(release: LoadedRelease): SelfcheckCase {
  const pair = release.pair ?? '';
  const role = release.role ?? 'to';
  const from = role === 'from' ? release.name : pair;
  const to = role === 'from' ? pair : release.name;
  return { name: release.name, kind: 'stress', from, to, role, expect: [], collateral: [] };
}

/**
 * Every case in the order they run: the good pairs (`repeat` times each), the stress releases (once each: they
 * are slow by design), then every broken release.
 */
export function selfcheckCases(opts: { repeat?: number; root?: string; only?: string[] } = {}): SelfcheckCase[] {
  const repeat = Math.max(1, opts.repeat ?? 1);
  const good: SelfcheckCase[] = [];
  for (let i = 1; i <= repeat; i++) {
    for (const [from, to] of goodPairs) {
      const name = repeat > 1 ? `${from}→${to}#${i}` : `${from}→${to}`;
      good.push({ name, kind: 'good', from, to, expect: [], collateral: [] });
    }
  }
  const defects = listReleaseFiles(opts.root)
    .filter((r) => r.file.startsWith('fixtures/releases/defects/'))
    .map((r) => defectCase(loadRelease(r.name, opts.root)));
  const stress = listReleaseFiles(opts.root)
    .filter((r) => r.file.startsWith('fixtures/releases/stress/'))
    .map((r) => stressCase(loadRelease(r.name, opts.root)));
  const all = [...good, ...stress, ...defects];
  if (!opts.only) return all;
  return all.filter((c) => opts.only?.some((o) => c.name === o || c.defect === o || o === c.kind));
}
