/**
 * Exit codes of `upcert certify` as a user sees them (DESIGN.md "Verdict and exit codes"): the real command,
 * spawned; 2 for bad input naming the field, 3 for what the environment lacks naming what fixes it. Each of
 * these is found before anything starts, so each run takes a few seconds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReleases } from '../../src/release/catalog.ts';
import { checkIds } from '../../src/release/manifest.ts';
import { copyCheckout } from './support/checkout-copy.ts';
import { type CliResult, runCli } from './support/run-cli.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-cli-test-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const certify = (args: string[], opts?: Parameters<typeof runCli>[1]) =>
  runCli(['certify', '--from', 'v1.7.0', '--to', 'v1.8.0', ...args], opts);

/** The one error line the CLI printed (its logger's `error` level). */
function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((l) => / error +\[upcert\] /.test(l));
  expect(lines, `stderr:\n${result.stderr}`).toHaveLength(1);
  return lines[0]!.replace(/^.* error +\[upcert\] /, '');
}

/**
 * A usage error (a flag unknown, missing or with a bad value): one `error: ...` line and the command's usage,
 * not its whole help and not a timestamped log line.
 */
function usageError(result: CliResult, command = 'upcert certify'): string {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, `stderr:\n${result.stderr}`).toHaveLength(2);
  expect(lines[1]).toBe(`usage: ${command} [options] (\`${command} --help\` for more)`);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!.replace(/^error: /, '');
}

describe('exit 2: usage errors say what is wrong and how the command is used', () => {
  it('an unknown flag', async () => {
    const result = await runCli(['certify', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(usageError(result)).toBe("unknown option '--no-such-flag'");
    expect(result.stdout).toBe('');
  });

  it('a missing required flag of a subcommand', async () => {
    const result = await runCli(['platform', 'up']);
    expect(result.code).toBe(2);
    expect(usageError(result, 'upcert platform up')).toBe("required option '--version <release>' not specified");
  });

  it('a flag value the command rejects (--rate)', async () => {
    const result = await certify(['--rate', 'fast']);
    expect(result.code).toBe(2);
    expect(usageError(result)).toBe("option '--rate <n>' argument 'fast' is invalid. expected a positive number.");
  });

  it('--help prints the commands and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: upcert \[options\] \[command\]\n/);
    for (const command of ['certify', 'chart-check', 'platform', 'report', 'setup', 'selfcheck']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });
});

describe('exit 2: bad input, naming the field', () => {
  it('an unknown release, naming the flag and listing the known ones', async () => {
    const result = await runCli(['certify', '--from', 'v0.0.1', '--to', 'v1.8.0']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toBe(`--from: unknown release: v0.0.1 (known: ${listReleases().join(', ')})`);
  });

  it('a malformed release manifest (in a copy of the checkout), naming the file and the field', async () => {
    await using checkout = await copyCheckout();
    await checkout.edit('fixtures/releases/v1.8.0.yaml', (text) =>
      text.replace(/(gateway:\n(?:.*\n)*?\s+sha256: )"[0-9a-f]{64}"/, '$1"not-a-digest"'),
    );
    const result = await certify([], { root: checkout.root });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(
      /^invalid release manifest fixtures\/releases\/v1\.8\.0\.yaml: components\.gateway\.artifact\.sha256: /,
    );
  });

  it('a manifest missing a required field names it', async () => {
    await using checkout = await copyCheckout();
    await checkout.edit('fixtures/releases/v1.7.0.yaml', (text) => text.replace(/^rollback: .*$/m, ''));
    const result = await certify([], { root: checkout.root });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(/^invalid release manifest fixtures\/releases\/v1\.7\.0\.yaml: rollback: /);
  });

  it('a malformed configuration file given with --config, naming the field and the file', async () => {
    const file = path.join(tmp, 'upcert.config.yaml');
    await writeFile(file, 'load:\n  rate: fast\n');
    const result = await certify(['--config', file]);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(new RegExp(`^config: load\\.rate: .+ \\(from ${file}\\)$`));
  });

  it('UPCERT_RATE=abc, naming the variable', async () => {
    const result = await certify([], { env: { UPCERT_RATE: 'abc' } });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(/^config: load\.rate: .+ \(from UPCERT_RATE\)$/);
  });

  it('an unknown check id in --only, listing the known ones', async () => {
    const result = await certify(['--only', 'gateway-smoke,no-such-check']);
    expect(result.code).toBe(2);
    expect(usageError(result)).toMatch(
      /^option '--only <ids>' argument 'gateway-smoke,no-such-check' is invalid\. unknown check id no-such-check \(known: .*gateway-smoke.*\)\.$/,
    );
  });
});

describe('exit 2: a selection that leaves no check (never a certification that checks nothing)', () => {
  it('--only gateway-smoke --skip gateway-smoke names both flags', async () => {
    const result = await certify(['--only', 'gateway-smoke', '--skip', 'gateway-smoke']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toBe(
      "--only/--skip: the selection leaves no check to run (--only 'gateway-smoke' --skip 'gateway-smoke')",
    );
    expect(result.stderr).not.toContain('certifying');
  });

  it("--only '' selects nothing", async () => {
    const result = await certify(['--only', '']);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toBe("--only/--skip: the selection leaves no check to run (--only '')");
  });

  it('--skip of every check', async () => {
    const result = await certify(['--skip', checkIds.join(',')]);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(/^--only\/--skip: the selection leaves no check to run \(--skip '/);
  });
});

describe('exit 3: the environment lacks something, naming what fixes it', () => {
  it('a front-door port in use (UPCERT_GATEWAY_PORT), found before anything starts', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const result = await certify([], { env: { UPCERT_GATEWAY_PORT: String(port) } });
      expect(result.code).toBe(3);
      const line = errorLine(result);
      expect(line).toContain(`gateway port 127.0.0.1:${port} is in use (set by local.ports.gateway)`);
      expect(line).toContain('to fix: ');
      expect(result.stderr).not.toContain('installing');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a port in use set in the configuration file (local.ports.console)', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const file = path.join(tmp, 'ports.yaml');
    await writeFile(file, `local:\n  ports:\n    console: ${port}\n`);
    try {
      const result = await certify(['--config', file]);
      expect(result.code).toBe(3);
      expect(errorLine(result)).toContain(`console port 127.0.0.1:${port} is in use (set by local.ports.console)`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  // A machine without postgresql-client-15, made for real: a mount namespace hides /usr/lib/postgresql, PATH
  // has no other pg_dump 15, and the user (nobody) may not install packages (root on Debian would apt-get it).
  const canHidePostgres =
    process.getuid?.() === 0 && existsSync('/usr/lib/postgresql') && existsSync('/usr/bin/unshare');
  it.skipIf(!canHidePostgres)('pg_dump 15 missing (namespace without postgresql-client-15, as nobody)', async () => {
    const empty = await mkdtemp(path.join(tmp, 'no-postgresql-'));
    execFileSync('chmod', ['755', tmp, empty]);
    // a report directory nobody may write in, so that the preflight reaches the client tools
    const reports = await mkdtemp(path.join(tmp, 'reports-'));
    execFileSync('chmod', ['777', reports]);
    const hide =
      'mount --bind "$0" /usr/lib/postgresql && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"';
    const result = await certify(['--report-dir', reports], {
      wrapper: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', hide, empty],
      env: { PATH: '/usr/bin:/bin', HOME: empty, TMPDIR: '/tmp' },
    });
    expect(result.code, result.stderr).toBe(3);
    expect(errorLine(result)).toMatch(
      /^locate PostgreSQL client tools: pg_\w+ 15 not found .*; to fix: apt-get install -y postgresql-client-15$/,
    );
  });
});
