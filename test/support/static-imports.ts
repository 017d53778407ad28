/**
 * The modules a file loads at start-up: its static value imports, followed through the project's own files
 * (`import type`, `export type` and dynamic `import()` are not followed: they load nothing at start-up).
 * Packages are leaves, named by their specifier (`vitest/node`, `@kubernetes/client-node`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const staticImport = /^\s*(?:import|export)\s+(?!type\b)(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/gm;

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(staticImport)) {
    if (/^\s*(?:import|export)\s*\{\s*type\b[^}]*\}\s*from/.test(m[0]) && !/,\s*(?!type\b)\w/.test(m[0])) continue;
    out.push(m[1]!);
  }
  return out;
}

/** Every project file and package reached from `entry` by static imports; `via` tells who imported it first. */
export function staticImportGraph(entry: string): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>([[path.resolve(entry), undefined]]);
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('node:')) continue;
      const target = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec;
      if (seen.has(target)) continue;
      seen.set(target, file);
      if (spec.startsWith('.') && existsSync(target) && /\.[cm]?[jt]s$/.test(target)) queue.push(target);
    }
  }
  return seen;
}

/** `a.ts → b.ts → pkg`: how `target` was reached (for a failure message). */
export function importChain(graph: Map<string, string | undefined>, target: string, root: string): string {
  const chain: string[] = [];
  for (let at: string | undefined = target; at !== undefined; at = graph.get(at)) {
    chain.unshift(path.isAbsolute(at) ? path.relative(root, at) : at);
  }
  return chain.join(' → ');
}
