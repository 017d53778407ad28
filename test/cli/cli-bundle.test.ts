/**
 * The CLI runs from an esbuild bundle kept fresh in .cache (bin/cli-bundle.js): on a copy of the checkout, the
 * first run builds it, an edit to a source file is in the next run's output (the bundle was rebuilt from its
 * inputs), and UPCERT_NO_BUNDLE=1 runs the sources through tsx.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const copy = mkdtempSync(path.join(os.tmpdir(), 'upcert-cli-bundle-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

for (const part of ['bin', 'src', 'package.json', 'tsconfig.json', 'fixtures/platform/build.ts']) {
  cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
}
symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));

const help = (env: NodeJS.ProcessEnv = {}) =>
  execFileSync(process.execPath, ['bin/upcert.js', '--help'], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

describe('the CLI bundle', () => {
  it('is built on the first run, and rebuilt after a source file changes', () => {
    expect(help()).toContain('certifies that a platform release upgrades cleanly');
    const pointer = JSON.parse(readFileSync(path.join(copy, '.cache/cli-current.json'), 'utf8'));
    expect(existsSync(path.join(copy, '.cache', pointer.dir, 'main.mjs'))).toBe(true);
    expect(Object.keys(pointer.inputs)).toContain('src/cli/main.ts');
    expect(Object.keys(pointer.inputs)).toContain('fixtures/platform/build.ts');

    const main = path.join(copy, 'src/cli/main.ts');
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replace('certifies that a platform release upgrades cleanly', 'an edited description'),
    );
    expect(help()).toContain('an edited description');
    const next = JSON.parse(readFileSync(path.join(copy, '.cache/cli-current.json'), 'utf8'));
    expect(next.dir).not.toBe(pointer.dir);
    expect(existsSync(path.join(copy, '.cache', pointer.dir))).toBe(true); // kept a day: a running CLI may load it
  });

  it('runs the sources through tsx when asked (UPCERT_NO_BUNDLE=1)', () => {
    expect(help({ UPCERT_NO_BUNDLE: '1' })).toContain('Usage: upcert');
  });
});
