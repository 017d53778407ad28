import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What of upcert's checkout decides a result: its sources, suites, fixtures, kind configs and dependencies. */
const included = ['bin', 'src', 'suites', 'fixtures', 'kind', 'package.json', 'package-lock.json'];
const ignored = new Set(['node_modules', 'dist', '.upcert-tmp']);

function files(root: string, rel: string, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    out.push(rel);
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (ignored.has(e.name) || e.name.endsWith('.log')) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) files(root, child, out);
    else if (e.isFile()) out.push(child);
  }
}

/**
 * The hash of upcert's own tree (not its package version, which never changes): every included file's
 * path and bytes, in a fixed order. A changed check, fixture or dependency gives every cell a new key.
 */
export function sourceTreeHash(root: string): string {
  const list: string[] = [];
  for (const entry of included) files(root, entry, list);
  const hash = createHash('sha256');
  for (const rel of list) {
    hash.update(`${rel}\0`);
    try {
      hash.update(readFileSync(path.join(root, rel)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
