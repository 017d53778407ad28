import { describe, expect, it } from 'vitest';
import { compareSemver } from '../../src/release/semver.ts';

describe('compareSemver (semver.org §11)', () => {
  it('orders numerically, with or without a leading v', () => {
    expect(compareSemver('v1.9.0', 'v1.10.0')).toBe(-1);
    expect(compareSemver('1.10.0', 'v1.9.0')).toBe(1);
    expect(compareSemver('v2.0.0', '2.0.0')).toBe(0);
  });

  it('a pre-release precedes its release; identifiers compare as the spec says', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareSemver(ordered[i - 1]!, ordered[i]!), `${ordered[i - 1]} < ${ordered[i]}`).toBe(-1);
      expect(compareSemver(ordered[i]!, ordered[i - 1]!)).toBe(1);
    }
  });

  it('is undefined for what is not a version', () => {
    expect(compareSemver('latest', 'v1.0.0')).toBeUndefined();
  });
});
