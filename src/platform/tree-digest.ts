import { createHash } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** Files npm writes about the tree it installed (not part of any package): left out of the digest. */
const npmBookkeeping = new Set(['node_modules/.package-lock.json']);

export interface TreeDigest {
  /** sha256 hex of the listing: one line per file (`f <path> <sha256>`) or symlink (`l <path> <target>`), sorted. */
  sha256: string;
  files: number;
  bytes: number;
}

/**
 * The digest of an installed tree (the artifact digest of an npm-packaged component, pinned in its release
 * manifest): every file's relative path and bytes and every symlink's target, in a fixed order, so that the
 * same lockfile installed anywhere gives the same digest, and one changed byte of any dependency changes it.
 */
export async function treeDigest(dir: string, under = 'node_modules'): Promise<TreeDigest> {
  const lines: string[] = [];
  let files = 0;
  let bytes = 0;
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${rel}/${entry.name}`;
      if (npmBookkeeping.has(child)) continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isSymbolicLink()) lines.push(`l ${child} ${await readlink(path.join(dir, child))}`);
      else if (entry.isFile()) {
        const content = await readFile(path.join(dir, child));
        files++;
        bytes += content.length;
        lines.push(`f ${child} ${createHash('sha256').update(content).digest('hex')}`);
      }
    }
  }
  await walk(under);
  return { sha256: createHash('sha256').update(lines.join('\n')).digest('hex'), files, bytes };
}
