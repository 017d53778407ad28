// The CLI as JavaScript: an esbuild bundle of src/ (code-split, so that each command still loads only what it
// runs), kept in .cache/cli-<stamp>/ and rebuilt on the first run after any file under src/ changes. Starting
// from it skips tsx's loader (~0.4 s of every start). Where it cannot be built or written (a read-only checkout,
// no esbuild binary), the caller runs the sources through tsx as before; UPCERT_NO_BUNDLE=1 asks for that too.
//
// The bundle's directory sits two levels below the project root, as src/<folder>/ does, so that the sources'
// `new URL('../..', import.meta.url)` (the project root) means the same in both.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, '.cache');

/** A hash of every source file's path, size and modification time, and of the bundler's version. */
function sourceStamp(esbuildVersion) {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) {
        const s = statSync(path.join(root, child));
        hash.update(`${child}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk('src');
  hash.update(statSync(path.join(root, 'package.json')).mtimeMs.toString());
  return hash.digest('hex').slice(0, 16);
}

function esbuildVersion() {
  try {
    const pkg = path.join(root, 'node_modules', 'esbuild', 'package.json');
    return statSync(pkg).mtimeMs.toString();
  } catch {
    return null;
  }
}

/** The bundle's entry (a file URL), built first when the sources changed; null when it cannot be had. */
export async function cliEntry() {
  if (process.env.UPCERT_NO_BUNDLE === '1') return null;
  const version = esbuildVersion();
  if (version === null || !existsSync(path.join(root, 'src', 'cli', 'main.ts'))) return null;
  const stamp = sourceStamp(version);
  const dir = path.join(cacheDir, `cli-${stamp}`);
  const entry = path.join(dir, 'main.mjs');
  if (existsSync(entry)) return pathToFileURL(entry).href;
  try {
    await build(dir);
    prune(`cli-${stamp}`);
    return pathToFileURL(entry).href;
  } catch {
    return null;
  }
}

/** Builds into a private directory and renames it into place, so that runs starting together never see half a bundle. */
async function build(dir) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await esbuild({
      entryPoints: { main: path.join(root, 'src', 'cli', 'main.ts') },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      logLevel: 'silent',
    });
    try {
      renameSync(tmp, dir);
    } catch (error) {
      if (!existsSync(path.join(dir, 'main.mjs'))) throw error; // another run put the same bundle there first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes the bundles of earlier sources (best effort: one that another run still uses is already loaded). */
function prune(keep) {
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith('cli-') && name !== keep && !name.includes('.tmp-')) {
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}
