// The CLI as JavaScript: an esbuild bundle of src/cli/main.ts and everything it imports (code-split, so that each
// command still loads only what it runs), kept in .cache/cli-<stamp>/ and rebuilt on the first run after any of
// its input files changes (their paths, sizes and modification times are recorded beside it from esbuild's
// metafile). Starting from it skips tsx's loader (~0.4 s of every start). Where it cannot be built or written (a
// read-only checkout, no esbuild binary) the caller runs the sources through tsx as before; UPCERT_NO_BUNDLE=1
// asks for that too. Source maps are written beside the chunks: NODE_OPTIONS=--enable-source-maps uses them.
//
// The bundle's directory sits two levels below the project root, as src/<folder>/ does, so that the sources'
// `new URL('../..', import.meta.url)` (the project root) means the same in both.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, '.cache');
const pointerFile = path.join(cacheDir, 'cli-current.json');
/** Files esbuild reads that are not modules: a change to them changes the bundle too. */
const settingsFiles = ['package.json', 'tsconfig.json', 'node_modules/esbuild/package.json', 'bin/cli-bundle.js'];
/** The bundle's entries: the CLI, and the load worker's thread (src/load/worker-load.ts starts it beside its chunk). */
const entries = { main: 'src/cli/main.ts', 'load-worker': 'src/load/load-worker.ts' };
/** A bundle that is no longer current is removed a day after it was built (a long matrix run may still load it). */
const keepOldMs = 24 * 3600 * 1000;

/** `[size, mtimeMs]` of a file relative to the root; null when it is gone. */
function statOf(rel) {
  try {
    const s = statSync(path.join(root, rel));
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

/** The current bundle's directory when every file it was built from is as it was then. */
function freshBundle() {
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(pointerFile, 'utf8'));
  } catch {
    return null;
  }
  const dir = path.join(cacheDir, String(pointer.dir));
  if (Object.keys(entries).some((name) => !existsSync(path.join(dir, `${name}.mjs`)))) return null;
  for (const [rel, recorded] of Object.entries(pointer.inputs ?? {})) {
    const now = statOf(rel);
    if (!now || now[0] !== recorded[0] || now[1] !== recorded[1]) return null;
  }
  return dir;
}

/** The bundle's entry (a file URL), built first when an input changed; null when it cannot be had. */
export async function cliEntry() {
  if (process.env.UPCERT_NO_BUNDLE === '1') return null;
  if (!existsSync(path.join(root, 'src', 'cli', 'main.ts'))) return null;
  const fresh = freshBundle();
  if (fresh) return pathToFileURL(path.join(fresh, 'main.mjs')).href;
  try {
    const dir = await build();
    prune(path.basename(dir));
    return pathToFileURL(path.join(dir, 'main.mjs')).href;
  } catch {
    return null;
  }
}

/**
 * Builds into a private directory, renames it into place and then points `cli-current.json` at it (written
 * aside and renamed too), so that runs starting together never see half a bundle.
 */
async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `cli-build-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = {};
    for (const rel of [...Object.keys(result.metafile.inputs), ...settingsFiles].sort()) {
      const s = statOf(rel);
      if (s) inputs[rel] = s;
    }
    const stamp = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
    const name = `cli-${stamp}`;
    const dir = path.join(cacheDir, name);
    try {
      renameSync(tmp, dir);
    } catch (error) {
      if (!existsSync(path.join(dir, 'main.mjs'))) throw error; // another run put the same bundle there first
    }
    const pointerTmp = `${pointerFile}.${process.pid}`;
    writeFileSync(pointerTmp, JSON.stringify({ dir: name, inputs }));
    renameSync(pointerTmp, pointerFile);
    return dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await esbuild.stop?.();
  }
}

/** Removes bundles that are not current and were built over a day ago (best effort). */
function prune(keep) {
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith('cli-') || name === keep || name === 'cli-current.json' || name.includes('.')) continue;
    const dir = path.join(cacheDir, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > keepOldMs) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it
    }
  }
}
