import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir spins forever on procfs (`/proc/x`: ENOENT on a
 * parent that exists), so each missing level is made on its own and the first refusal is the error.
 */
export async function makeDir(dir: string): Promise<string> {
  const full = path.resolve(dir);
  const missing: string[] = [];
  let at = full;
  for (;;) {
    const found = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return full;
}
