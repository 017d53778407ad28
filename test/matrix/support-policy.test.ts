import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/common/errors.ts';
import { parseManifest, releaseLookup } from '../../src/release/catalog.ts';
import { type ReleaseLookup, supportedPath, supportOf, unsupportedHops } from '../../src/release/support-policy.ts';

const lookup = releaseLookup();

describe('support policy (upgradeFrom in the release manifests)', () => {
  it('v1.8.0 → v1.9.0 and v1.7.0 → v1.8.0 are supported directly', () => {
    expect(supportOf('v1.8.0', 'v1.9.0', lookup)).toEqual({ supported: true });
    expect(supportOf('v1.7.0', 'v1.8.0', lookup)).toEqual({ supported: true });
  });

  it('v1.7.0 → v1.9.0 must go through v1.8.0, with the reason', () => {
    const support = supportOf('v1.7.0', 'v1.9.0', lookup);
    expect(support).toMatchObject({ supported: false, path: ['v1.7.0', 'v1.8.0', 'v1.9.0'] });
    expect(support.supported === false && support.reason).toMatch(/drops the legacy spend column/);
  });

  it('a version the release does not list is unsupported, with no path', () => {
    expect(supportOf('v1.9.0', 'v1.8.0', lookup)).toEqual({
      supported: false,
      reason: 'v1.8.0 does not list v1.9.0 in its upgradeFrom (it lists: v1.7.0)',
    });
  });

  it('resolves a path hop by hop through several intermediate releases', () => {
    const chain: ReleaseLookup = (v) =>
      ({
        v2: { version: 'v2', upgradeFrom: [{ version: 'v1' }] },
        v3: { version: 'v3', upgradeFrom: [{ version: 'v2' }, { version: 'v1', through: 'v2', reason: 'r' }] },
        v4: { version: 'v4', upgradeFrom: [{ version: 'v3' }, { version: 'v1', through: 'v3', reason: 'r' }] },
      })[v];
    expect(supportedPath('v1', 'v4', chain)).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(unsupportedHops(['v1', 'v3', 'v4'], chain)).toEqual([{ from: 'v1', to: 'v3', reason: 'r' }]);
  });

  it('a manifest with `through` but no reason is bad input naming the field', () => {
    const text = `${baseManifest}upgradeFrom:\n  - version: v1.7.0\n    through: v1.8.0\n`;
    const error = (() => {
      try {
        parseManifest(text, 'fixtures/releases/v1.9.0.yaml');
      } catch (e) {
        return e as BadInputError;
      }
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect(error?.message).toContain('upgradeFrom[0].reason: an upgrade through another release needs its reason');
  });
});

const pin = (c: string) => `  ${c}:
    version: v1.9.0
    artifact: { path: dist/platform/v1.9.0/${c}.mjs, sha256: "${'a'.repeat(64)}" }
    image: { repository: upcert/${c}, tag: v1.9.0, digest: null }
`;
const baseManifest = `version: v1.9.0
kubernetes: "1.33"
chart: { path: fixtures/platform/chart, version: 1.9.0 }
components:
${['gateway', 'control-plane', 'console', 'identity'].map(pin).join('')}migrations: { ledger: node-pg-migrate, table: public.pgmigrations, head: x }
rollback: restore-required
`;
