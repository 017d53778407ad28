/**
 * Bad input found before anything starts (DESIGN.md: exit 2, a message naming the flag, field or file), through
 * the real `upcert certify` (issue 11: report directory, nonsense pairs, tenant fixtures, config files, secrets in
 * values). Each run stops in the preflight: none installs anything.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCheckout } from './support/checkout-copy.ts';
import { type CliResult, runCli } from './support/run-cli.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-bad-input-test-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const certify = (args: string[], opts?: Parameters<typeof runCli>[1]) =>
  runCli(['certify', '--from', 'v1.7.0', '--to', 'v1.8.0', ...args], opts);

/** Exit 2, nothing started, and the one error line the CLI printed. */
function badInput(result: CliResult): string {
  expect(result.code, `stderr:\n${result.stderr}`).toBe(2);
  expect(result.stderr).not.toMatch(/certifying|installing/);
  const lines = result.stderr.split('\n').filter((l) => / error +\[upcert\] /.test(l));
  expect(lines, `stderr:\n${result.stderr}`).toHaveLength(1);
  return lines[0]!.replace(/^.* error +\[upcert\] /, '');
}

describe('--report-dir is proven writable in the preflight', () => {
  it('/proc/x exits 2 at once (no endless mkdir on procfs)', async () => {
    const result = await certify(['--report-dir', '/proc/x']);
    expect(badInput(result)).toBe('--report-dir /proc/x: cannot create it (ENOENT)');
  });

  it('a path under a file, and /sys, name the flag and the reason', async () => {
    const file = path.join(tmp, 'a-file');
    await writeFile(file, 'x');
    expect(badInput(await certify(['--report-dir', path.join(file, 'reports')]))).toBe(
      `--report-dir ${path.join(file, 'reports')}: cannot create it (ENOTDIR)`,
    );
    expect(badInput(await certify(['--report-dir', '/sys/upcert-reports']))).toMatch(
      /^--report-dir \/sys\/upcert-reports: cannot create it \((EPERM|EACCES|EROFS)\)$/,
    );
  });
});

describe('a pair that is not an upgrade', () => {
  it('the same release twice', async () => {
    const result = await runCli(['certify', '--from', 'v1.8.0', '--to', 'v1.8.0']);
    expect(badInput(result)).toBe(
      '--from v1.8.0 --to v1.8.0: the same release twice; an upgrade needs an older --from and a newer --to',
    );
  });

  it('a downgrade, pointing at the rollback phase', async () => {
    const result = await runCli(['certify', '--from', 'v1.8.0', '--to', 'v1.7.0']);
    expect(badInput(result)).toBe(
      '--from v1.8.0 --to v1.7.0: a downgrade (v1.8.0 → v1.7.0); certify the upgrade --from v1.7.0 --to v1.8.0, whose rollback phase proves the way back',
    );
  });

  it('an unknown --to names --to', async () => {
    expect(badInput(await runCli(['certify', '--from', 'v1.7.0', '--to', 'v9.9.9']))).toMatch(
      /^--to: unknown release: v9\.9\.9 \(known: /,
    );
  });
});

describe('tenant fixtures are validated in the preflight, naming the file and the field', () => {
  it('a field of one record', async () => {
    await using checkout = await copyCheckout();
    await checkout.edit('fixtures/tenants/acme.yaml', (t) => t.replace('  - id: sakura', '  - id: Sakura!'));
    const line = badInput(await certify([], { root: checkout.root }));
    expect(line).toMatch(/^load tenant fixture: \S+\/fixtures\/tenants\/acme\.yaml: users\.1\.id: expected a slug/);
  });

  it('a reference to nothing (a cross-record rule) names the record’s file', async () => {
    await using checkout = await copyCheckout();
    await checkout.edit('fixtures/tenants/acme.yaml', (t) =>
      t.replace('  - id: sakura\n    groupId: acme-search-core', '  - id: sakura\n    groupId: no-such-group'),
    );
    const line = badInput(await certify([], { root: checkout.root }));
    expect(line).toMatch(/^load tenant fixture: \S+\/fixtures\/tenants\/acme\.yaml: users\.\d+\.groupId: /);
  });
});

describe('configuration file errors', () => {
  it('an unknown key names the file it is in, and every problem is reported', async () => {
    const file = path.join(tmp, 'several.yaml');
    await writeFile(file, 'lod:\n  rate: 5\nload:\n  rate: fast\nreportDir: ""\n');
    const line = badInput(await certify(['--config', file]));
    expect(line).toContain(`lod: unknown key (from ${file})`);
    expect(line).toMatch(new RegExp(`load\\.rate: [^;]+ \\(from ${file}\\)`));
    expect(line).toMatch(new RegExp(`reportDir: [^;]+ \\(from ${file}\\)`));
    expect(line).not.toContain('from the command line');
  });

  it('--config <directory> says it is a directory', async () => {
    const dir = path.join(tmp, 'a-dir');
    await mkdir(dir, { recursive: true });
    expect(badInput(await certify(['--config', dir]))).toBe(`config: ${dir} is a directory, not a configuration file`);
  });
});

describe('secrets in -f values on the local target', () => {
  it('are refused (exit 2) naming the file and the block, never ignored', async () => {
    const file = path.join(tmp, 'staging-secrets.yaml');
    await writeFile(file, 'secrets:\n  adminToken: known-admin-token-123456\n');
    const line = badInput(await certify(['-f', file]));
    expect(line).toMatch(new RegExp(`^-f ${file}: secrets: the local target generates fresh secrets`));
  });
});
