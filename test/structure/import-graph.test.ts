import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

// The structure issue 9 asks for, read from the source: the journey and the checks ask the target what it can
// do (src/targets/*.ts: the interface, its features, its providers) and never which target it is.
const src = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every relative import of every file under src: [importer, imported], both relative to src. */
function imports(): [string, string][] {
  return sourceFiles(src).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m): [string, string] => [
      path.relative(src, file),
      path.relative(src, path.resolve(path.dirname(file), m[1] as string)),
    ]),
  );
}

/** The folder a file belongs to: `targets/local` for a target's own files, else the first folder. */
function folderOf(file: string): string {
  const parts = file.split(path.sep);
  if (parts[0] === 'targets' && parts.length > 2) return `targets/${parts[1]}`;
  return parts.length > 1 ? (parts[0] as string) : '.';
}

/** The top-level folder of a file (`targets` for the interface, the providers and every target). */
function topFolderOf(file: string): string {
  const parts = file.split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : '.';
}

/** Import circles between folders (strongly connected components of more than one folder). */
function folderCircles(edges: [string, string][], folder = topFolderOf): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    const from = folder(a);
    const to = folder(b);
    if (from !== to) next.set(from, (next.get(from) ?? new Set()).add(to));
  }
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(next.get(start) ?? [])];
    while (todo.length > 0) {
      const f = todo.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      todo.push(...(next.get(f) ?? []));
    }
    return seen;
  };
  const circles = new Map<string, string[]>();
  for (const f of next.keys()) {
    const circle = [...reach(f)].filter((g) => g === f || reach(g).has(f)).sort();
    if (circle.length > 1) circles.set(circle.join(','), circle);
  }
  return [...circles.values()];
}

describe('import graph', () => {
  const edges = imports();

  test('src/journey and src/checks import no target of their own, only the target interface', () => {
    const named = edges.filter(
      ([from, to]) => ['journey', 'checks'].includes(folderOf(from)) && folderOf(to).startsWith('targets/'),
    );
    expect(named.map(([from, to]) => `${from} → ${to}`)).toEqual([]);
  });

  test('src/journey and src/checks never compare the configured target', () => {
    const comparing = sourceFiles(src)
      .filter((f) => ['journey', 'checks'].includes(folderOf(path.relative(src, f))))
      .filter((f) =>
        /config\.target\s*[!=]==|[!=]==\s*\S*config\.target\b|switch\s*\(\s*\S*config\.target/.test(
          readFileSync(f, 'utf8'),
        ),
      )
      .map((f) => path.relative(src, f));
    expect(comparing).toEqual([]);
  });

  test('no import circle between folders, nor between the targets', () => {
    expect(folderCircles(edges)).toEqual([]);
    // src/targets/providers.ts is the one module that knows every target; the targets themselves form no circle
    const betweenTargets = edges.filter(
      ([a, b]) => folderOf(a).startsWith('targets/') && folderOf(b).startsWith('targets/'),
    );
    expect(folderCircles(betweenTargets, folderOf)).toEqual([]);
  });

  test('the reader finds a circle when there is one', () => {
    const circle: [string, string][] = [
      ['journey/a.ts', 'checks/b.ts'],
      ['checks/b.ts', 'journey/c.ts'],
    ];
    expect(folderCircles(circle)).toEqual([['checks', 'journey']]);
    const targets: [string, string][] = [
      ['targets/kube/a.ts', 'targets/local/b.ts'],
      ['targets/local/b.ts', 'targets/kube/c.ts'],
    ];
    expect(folderCircles(targets, folderOf)).toEqual([['targets/kube', 'targets/local']]);
  });
});
