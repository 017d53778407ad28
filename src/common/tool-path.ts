import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `upcert setup` puts the tools it gets itself (helm, kubectl per Kubernetes minor): `.cache/tools/bin`
 * in the checkout (git-ignored). The harness runs a tool from there when it is there, else from PATH.
 */
export const toolsBinDir = path.join(fileURLToPath(new URL('../..', import.meta.url)), '.cache', 'tools', 'bin');

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cached tool's absolute path, or its bare name (found on PATH when run). */
export function resolveTool(name: string, binDir = toolsBinDir): string {
  const cached = path.join(binDir, name);
  return executable(cached) ? cached : name;
}

/** PATH with the tools cache first: what a preflight searches. */
export function toolSearchPath(pathVar: string | undefined, binDir = toolsBinDir): string {
  return [binDir, ...(pathVar ?? '').split(path.delimiter).filter(Boolean)].join(path.delimiter);
}
