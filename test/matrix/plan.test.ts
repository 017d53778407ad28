import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/common/errors.ts';
import { githubMatrix } from '../../src/matrix/github-matrix.ts';
import { planMatrix } from '../../src/matrix/plan.ts';
import { cellsOfShard, parseShard } from '../../src/matrix/shard.ts';
import { loadRelease, releaseLookup } from '../../src/release/catalog.ts';

const base = {
  to: 'v1.9.0',
  lookup: releaseLookup(),
  kubernetesOf: (v: string) => loadRelease(v).kubernetes,
};

describe('matrix plan --to v1.9.0', () => {
  it('plans v1.8.0 → v1.9.0, the path v1.7.0 → v1.8.0 → v1.9.0, and refuses v1.7.0 → v1.9.0 with the reason', () => {
    const cells = planMatrix({ ...base, targets: ['local'], topologies: ['ha'], unsupported: false });
    expect(cells.map((c) => [c.id, c.supported, c.runs])).toEqual([
      ['v1.7.0-v1.8.0-v1.9.0.local.none.ha', true, true],
      ['v1.7.0-v1.9.0.local.none.ha', false, false],
      ['v1.8.0-v1.9.0.local.none.ha', true, true],
    ]);
    const refused = cells.find((c) => !c.supported)!;
    expect(refused.reason).toMatch(/drops the legacy spend column/);
    expect(refused.supportedPath).toEqual(['v1.7.0', 'v1.8.0', 'v1.9.0']);
  });

  it('runs the unsupported cell only when asked, and crosses targets × topologies with the baseline of the installed release', () => {
    const cells = planMatrix({ ...base, targets: ['kind', 'local'], topologies: ['ha', 'single'], unsupported: true });
    expect(cells).toHaveLength(12);
    expect(cells.every((c) => c.runs)).toBe(true);
    const kind = cells.filter((c) => c.target === 'kind').map((c) => `${c.path[0]} ${c.baseline}`);
    expect(new Set(kind)).toEqual(new Set(['v1.7.0 1.31', 'v1.8.0 1.32']));
  });
});

describe('--shard i/n', () => {
  const cells = planMatrix({ ...base, targets: ['kind', 'local'], topologies: ['ha', 'single'], unsupported: true });

  it('deals every running cell to exactly one shard', () => {
    for (const n of [1, 2, 3, 5, 13]) {
      const dealt = Array.from({ length: n }, (_, i) => cellsOfShard(cells, { index: i + 1, count: n })).flat();
      expect(dealt.map((c) => c.id).sort()).toEqual(cells.map((c) => c.id).sort());
    }
  });

  it('rejects a malformed shard, naming the flag', () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) {
      expect(() => parseShard(bad)).toThrow(BadInputError);
      expect(() => parseShard(bad)).toThrow(/^--shard: expected i\/n/);
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
  });

  it('plan --github gives one include entry per shard, naming its cells', () => {
    const m = githubMatrix(cells, 2);
    expect(m.include.map((e) => e.shard)).toEqual(['1/2', '2/2']);
    const listed = m.include.flatMap((e) => e.cells.split(' '));
    expect(listed.sort()).toEqual(cells.map((c) => c.id).sort());
    expect(githubMatrix(cells).include).toHaveLength(cells.length);
  });
});
