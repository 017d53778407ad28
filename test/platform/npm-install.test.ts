import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../src/common/command.ts';
import { BadInputError, StepFailedError } from '../../src/common/errors.ts';
import { createLogger } from '../../src/common/logger.ts';
import { installNpmComponent } from '../../src/platform/npm-install.ts';
import { treeDigest } from '../../src/platform/tree-digest.ts';
import { defaultRoot } from '../../src/release/catalog.ts';

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

const log = createLogger('test');
const lockfile = 'fixtures/platforms/portkey/packages/1.9.8/package-lock.json';
const pkg = {
  name: '@portkey-ai/gateway',
  version: '1.9.8',
  integrity: 'sha512-UXnNgKoZnQEv7bOeuvJHPtTErbcoeN3Mnf6nBWK634OdEESxUHFVWN2Z9Z9hDKjaYYBK5YOblqTwjWJRSml4UA==',
  lockfile,
};

/** A repository root with the committed lockfile, and a stand-in `npm ci` (named so) that writes a tiny tree. */
function setUp(content = 'console.log(1)') {
  const root = temp(path.join(os.tmpdir(), 'upcert-npm-'));
  mkdirSync(path.join(root, path.dirname(lockfile)), { recursive: true });
  cpSync(path.join(defaultRoot, path.dirname(lockfile)), path.join(root, path.dirname(lockfile)), { recursive: true });
  const calls: string[][] = [];
  const standInNpm: CommandRunner = async (file, args, opts) => {
    calls.push([file, ...args]);
    const dir = path.join(opts.cwd!, 'node_modules/@portkey-ai/gateway/build');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'start-server.js'), content);
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { root, calls, standInNpm };
}

async function digestOf(content: string): Promise<string> {
  const dir = temp(path.join(os.tmpdir(), 'upcert-npm-expected-'));
  mkdirSync(path.join(dir, 'node_modules/@portkey-ai/gateway/build'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules/@portkey-ai/gateway/build/start-server.js'), content);
  return (await treeDigest(dir)).sha256;
}

describe('installing an npm-packaged component (stand-in npm)', () => {
  it('runs npm ci --ignore-scripts from the lockfile into the cache, then reuses the verified cache', async () => {
    const { root, calls, standInNpm } = setUp();
    const pin = { version: '1.9.8', artifact: { path: 'x', sha256: await digestOf('console.log(1)') }, package: pkg };
    const first = await installNpmComponent(root, 'portkey', pin, { log, timeoutMs: 10_000, run: standInNpm });
    expect(first.installed).toBe(true);
    expect(first.dir).toBe(path.join(root, '.cache/platforms/portkey/1.9.8'));
    expect(calls).toEqual([['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']]);
    expect(readFileSync(path.join(first.dir, 'package-lock.json'), 'utf8')).toBe(
      readFileSync(path.join(defaultRoot, lockfile), 'utf8'),
    );
    const second = await installNpmComponent(root, 'portkey', pin, { log, timeoutMs: 10_000, run: standInNpm });
    expect(second).toMatchObject({ installed: false, sha256: first.sha256 });
    expect(calls).toHaveLength(1);
  });

  it('a tree that is not the pinned one fails, and leaves no directory behind', async () => {
    const { root, standInNpm } = setUp('tampered');
    const pin = { version: '1.9.8', artifact: { path: 'x', sha256: await digestOf('console.log(1)') }, package: pkg };
    const install = installNpmComponent(root, 'portkey', pin, { log, timeoutMs: 10_000, run: standInNpm });
    await expect(install).rejects.toThrow(StepFailedError);
    await expect(install).rejects.toThrow(
      /verify artifact: @portkey-ai\/gateway@1.9.8 .* has tree sha256 [0-9a-f]{64} \(1 files\), the release pins/,
    );
    expect(() => readFileSync(path.join(root, '.cache/platforms/portkey/1.9.8/package-lock.json'))).toThrow();
  });

  it('a lockfile that does not pin the manifest version and integrity is bad input naming the field', async () => {
    const { root, standInNpm } = setUp();
    const pin = {
      version: '1.9.8',
      artifact: { path: 'x', sha256: 'a'.repeat(64) },
      package: { ...pkg, integrity: `sha512-${'A'.repeat(86)}==` },
    };
    const install = installNpmComponent(root, 'portkey', pin, { log, timeoutMs: 10_000, run: standInNpm });
    await expect(install).rejects.toThrow(BadInputError);
    await expect(install).rejects.toThrow(
      /package.lockfile: .* pins @portkey-ai\/gateway 1.9.8 sha512-UXnN.*, the manifest 1.9.8 sha512-AAAA/,
    );
  });
});
