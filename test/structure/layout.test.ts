import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The `src/` folders the README's "Layout" section names (indented `name/` at the start of a line). */
function layoutFolders(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Layout'));
  const block = section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
  const src = block.slice(block.indexOf('\nsrc/'));
  return [...src.matchAll(/^ {2}([a-z-]+)\//gm)].map((m) => m[1] as string).sort();
}

test("the README's Layout names every folder of src/, and only those", () => {
  const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  expect(layoutFolders(readFileSync(path.join(root, 'README.md'), 'utf8'))).toEqual(folders);
});
