#!/usr/bin/env node
// Entry point of the `upcert` command: runs the CLI from its bundle (bin/cli-bundle.js, rebuilt when src/
// changes), or the TypeScript sources through tsx when no bundle can be had.
import { cliEntry } from './cli-bundle.js';

// Nothing a run starts writes into node_modules (an entry added there makes npm's hidden lockfile stale and
// every later `npx upcert` walk the whole tree): jiti, which node-pg-migrate creates at import in upcert and in
// the reference platform's control plane, keeps no file cache (its default is node_modules/.cache/jiti).
process.env.JITI_FS_CACHE ??= 'false';

const entry = await cliEntry();
if (entry) {
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
