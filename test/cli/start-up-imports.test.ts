/**
 * Start-up (issue 9): `upcert --help` and usage errors load the command table only, and a local run never
 * loads the Kubernetes client. Read from the source's static imports (what loads before any code runs);
 * each heavy package may only be reached through an `import()` in the code path that needs it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importChain, staticImportGraph } from '../support/static-imports.ts';

const root = path.resolve(import.meta.dirname, '../..');
const heavy = ['vitest/node', 'vitest', '@kubernetes/client-node', 'playwright-core', 'allure-vitest/reporter', 'pg'];

function reached(entry: string, packages: readonly string[]): string[] {
  const graph = staticImportGraph(path.join(root, entry));
  return packages.filter((p) => graph.has(p)).map((p) => importChain(graph, p, root));
}

describe('what loads before a command runs', () => {
  it('the CLI entry reaches none of the heavy packages', () => {
    expect(reached('src/cli/main.ts', heavy)).toEqual([]);
  });

  it('certify reads its flags before it loads the run', () => {
    expect(reached('src/cli/certify.ts', heavy)).toEqual([]);
  });

  it('the certification suite on the local target never loads the Kubernetes client', () => {
    expect(reached('suites/certify.spec.ts', ['@kubernetes/client-node'])).toEqual([]);
  });

  it('the reader sees a static import (it could fail)', () => {
    expect(reached('src/cli/run-suites.ts', ['vitest/node'])).toEqual(['src/cli/run-suites.ts → vitest/node']);
    expect(reached('src/targets/kube/kube-config.ts', ['@kubernetes/client-node'])).toHaveLength(1);
  });
});
