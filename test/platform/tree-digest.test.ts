import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treeDigest } from '../../src/platform/tree-digest.ts';

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

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const dir = temp(path.join(os.tmpdir(), 'upcert-tree-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  for (const [link, target] of Object.entries(links)) symlinkSync(target, path.join(dir, link));
  return dir;
}

describe('the installed tree digest (an npm component artifact digest)', () => {
  const files = {
    'node_modules/a/package.json': '{"name":"a"}',
    'node_modules/a/index.js': 'module.exports = 1;',
    'node_modules/@s/b/index.js': 'export {}',
  };

  it('is the same wherever the same files are, and counts them', async () => {
    const [one, two] = [await treeDigest(tree(files)), await treeDigest(tree(files))];
    expect(one).toEqual(two);
    expect(one.files).toBe(3);
    expect(one.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with one byte, a renamed file, an added file or a symlink target', async () => {
    const base = (await treeDigest(tree(files))).sha256;
    const changed = [
      { ...files, 'node_modules/a/index.js': 'module.exports = 2;' },
      { ...files, 'node_modules/a/main.js': files['node_modules/a/index.js'] },
      { ...files, 'node_modules/a/extra.js': '' },
    ];
    for (const f of changed) expect((await treeDigest(tree(f))).sha256).not.toBe(base);
    const linked = (target: string) =>
      tree({ ...files, 'node_modules/.bin/.keep': '' }, { 'node_modules/.bin/a': target });
    expect((await treeDigest(linked('../a/index.js'))).sha256).not.toBe(
      (await treeDigest(linked('../a/other.js'))).sha256,
    );
  });

  it("leaves out npm's own record of the tree (node_modules/.package-lock.json)", async () => {
    const base = (await treeDigest(tree(files))).sha256;
    expect(
      (await treeDigest(tree({ ...files, 'node_modules/.package-lock.json': '{"lockfileVersion":3}' }))).sha256,
    ).toBe(base);
  });
});
