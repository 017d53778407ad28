/**
 * `upcert certify --platform` before anything starts: an unknown platform or release, a target the platform
 * cannot run on (exit 2 naming the flag), and an npm registry out of reach on first use (exit 3 with the command).
 */
import { describe, expect, it } from 'vitest';
import { copyCheckout } from '../cli/support/checkout-copy.ts';
import { type CliResult, runCli } from '../cli/support/run-cli.ts';

const certify = (args: string[], opts?: Parameters<typeof runCli>[1]) => runCli(['certify', ...args], opts);

/** The one error line the CLI printed (its logger's `error` level). */
function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((l) => / error +\[upcert\] /.test(l));
  expect(lines, `stderr:\n${result.stderr}`).toHaveLength(1);
  return lines[0]!.replace(/^.* error +\[upcert\] /, '');
}

describe('certify --platform, before anything starts', () => {
  it('an unknown platform names --platform and the known ones', async () => {
    const result = await certify(['--platform', 'kong']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(/^--platform: unknown platform kong \(known: opsta, portkey, reference\)$/);
  });

  it("a release of another platform names the flag and the platform's releases", async () => {
    const result = await certify(['--platform', 'portkey', '--from', 'v1.7.0', '--to', '1.15.2']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(
      /^--from: unknown release of platform portkey: v1.7.0 \(known: 1\.15\.2, 1\.9\.8/,
    );
  });

  it("a chart platform's releases come from its own directory (the seed product publishes none)", async () => {
    const result = await certify(['--platform', 'opsta', '--from', 'v1.7.0', '--to', 'v1.8.0', '--target', 'kind']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toBe('--from: unknown release of platform opsta: v1.7.0 (known: (none))');
  });

  it('the matrix refuses another platform than the reference, naming it', async () => {
    const result = await runCli(['matrix', 'plan', '--to', 'v1.8.0'], { env: { UPCERT_PLATFORM: 'portkey' } });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(
      /^matrix: platform portkey \(from the configuration\): the matrix certifies the reference platform only/,
    );
  });

  it('an npm platform on a Kubernetes target names --target', async () => {
    const result = await certify(['--platform', 'portkey', '--from', '1.9.8', '--to', '1.15.2', '--target', 'kind']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(
      /^--platform portkey installs from npm packages, which only the local target runs/,
    );
  });

  it('an unreachable registry on first use exits 3 with the command to check it', async () => {
    await using checkout = await copyCheckout(); // no .cache: the packages come from the registry
    const env = {
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_cache: `${checkout.root}/.npm`,
    };
    const result = await certify(['--platform', 'portkey', '--from', '1.9.8', '--to', '1.15.2'], {
      root: checkout.root,
      env,
    });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(
      /^install @portkey-ai\/gateway@1.9.8: `npm ci --ignore-scripts .*` exited \d+ \(the npm registry must be reachable on first use, then the cache is used\)$/,
    );
    expect(result.stderr).toMatch(/to fix: npm ping/);
  });
});
