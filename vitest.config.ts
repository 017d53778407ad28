import { defineConfig } from 'vitest/config';

// Nothing the tests run writes into node_modules: an entry added there makes npm's hidden lockfile
// (node_modules/.package-lock.json) stale, and every later `npx upcert` then walks the whole tree
// (@npmcli/arborist lib/shrinkwrap.js `assertNoNewer`: ~0.5 s here). vite's cache goes under .cache/; jiti
// (node-pg-migrate creates one at import) keeps no file cache (its default is node_modules/.cache/jiti); and
// `npm test` loads this file with `--configLoader runner` (vite's default bundle loader writes it to
// node_modules/.vite-temp first).
process.env.JITI_FS_CACHE ??= 'false';

export default defineConfig({
  cacheDir: '.cache/vite',
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'fixtures/platform/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    retry: 0,
  },
});
