import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/common/errors.ts';
import { listPlatforms, loadPlatform } from '../../src/platform/profile.ts';
import { loadPlatformRelease, releaseLookup } from '../../src/release/catalog.ts';
import { supportOf } from '../../src/release/support-policy.ts';

/** Every temporary directory a test made goes when the file's tests end. */
const made: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(prefix);
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A repository root holding one platform profile written by the test. */
function rootWith(name: string, yaml: string): string {
  const root = temp(path.join(os.tmpdir(), 'upcert-profile-'));
  mkdirSync(path.join(root, 'fixtures/platforms', name), { recursive: true });
  writeFileSync(path.join(root, 'fixtures/platforms', name, 'platform.yaml'), yaml);
  return root;
}

describe('platform profiles (fixtures/platforms/<name>/platform.yaml)', () => {
  it('the repository carries the reference platform and Portkey', () => {
    expect(listPlatforms()).toEqual(expect.arrayContaining(['portkey', 'reference']));
    const reference = loadPlatform('reference');
    expect(reference.install).toBe('chart');
    expect(reference.unsupported).toEqual({});
    const portkey = loadPlatform('portkey');
    expect(portkey.install).toBe('npm');
    expect(portkey.gateway.versionSignal).toBe('front-door');
    expect(portkey.traffic?.consumers).toHaveLength(10);
    // what the local target gives instead is not declared missing (front door, installed tree)
    expect(Object.keys(portkey.unsupported).sort()).toEqual([
      'console',
      'database-backup',
      'live-edit',
      'migration-ledger',
      'spend-records',
      'tenant-api',
    ]);
  });

  it('an unknown platform is bad input naming --platform and the known ones', () => {
    expect(() => loadPlatform('kong')).toThrow(BadInputError);
    expect(() => loadPlatform('kong')).toThrow(/--platform: unknown platform kong \(known: .*portkey.*reference/);
    expect(() => loadPlatform('../etc')).toThrow(/unknown platform/);
  });

  it('an invalid profile names the file and the field', () => {
    const root = rootWith(
      'broken',
      'name: broken\ntitle: x\nsource: not-a-url\ninstall: chart\nreleases: r\ngateway: { versionSignal: headers }\n',
    );
    expect(() => loadPlatform('broken', root)).toThrow(
      /invalid platform fixtures\/platforms\/broken\/platform.yaml: source:/,
    );
    const npm = rootWith(
      'npm-without-start',
      'name: npm-without-start\ntitle: x\nsource: https://example.com\ninstall: npm\nreleases: r\ngateway: { versionSignal: headers }\n',
    );
    expect(() => loadPlatform('npm-without-start', npm)).toThrow(/start: an npm platform says how its replicas start/);
    const noTraffic = rootWith(
      'silent',
      'name: silent\ntitle: x\nsource: https://example.com\ninstall: chart\nreleases: r\ngateway: { versionSignal: headers }\nunsupported: { tenant-api: none }\n',
    );
    expect(() => loadPlatform('silent', noTraffic)).toThrow(
      /traffic: without a tenant API the load needs its consumers/,
    );
    const unknownFeature = rootWith(
      'odd',
      'name: odd\ntitle: x\nsource: https://example.com\ninstall: chart\nreleases: r\ngateway: { versionSignal: headers }\nunsupported: { teleport: no }\n',
    );
    expect(() => loadPlatform('odd', unknownFeature)).toThrow(/unsupported/);
  });

  it("Portkey's releases load from its directory, as semver without v, with the support policy", () => {
    const portkey = loadPlatform('portkey');
    const to = loadPlatformRelease('1.15.2', portkey);
    expect(to.platform).toBe('portkey');
    expect(to.rollback).toBe('stateless');
    expect(to.components.gateway?.package?.name).toBe('@portkey-ai/gateway');
    expect(to.migrations).toBeUndefined();
    expect(supportOf('1.9.8', '1.15.2', releaseLookup(undefined, portkey)).supported).toBe(true);
    expect(() => loadPlatformRelease('v1.8.0', portkey)).toThrow(
      /unknown release of platform portkey: v1.8.0 \(known: .*1\.15\.2/,
    );
    // the reference platform's releases come through the chart catalog as before
    expect(loadPlatformRelease('v1.8.0', loadPlatform('reference')).chart?.path).toBe('fixtures/platform/chart');
  });
});
