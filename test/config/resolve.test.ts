import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagLayer } from '../../src/cli/certify.ts';
import { BadInputError } from '../../src/common/errors.ts';
import { redact } from '../../src/common/logger.ts';
import { describeConfig } from '../../src/config/redacted.ts';
import { resolveConfig } from '../../src/config/resolve.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-config-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, yaml: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, yaml);
  return file;
}

function badInput(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }
  throw new Error('expected a BadInputError, nothing was thrown');
}

const noFile = () => path.join(dir, 'absent.yaml');

describe('configuration precedence: defaults < upcert.config.yaml < UPCERT_* < flags', () => {
  it('without file, variables or flags every value is the documented default', () => {
    const config = resolveConfig({ configFile: noFile(), env: {} });
    expect(config).toMatchObject({ from: 'v1.7.0', to: 'v1.8.0', target: 'local', reportDir: 'reports', skip: [] });
    expect(config.load.rate).toBe(200);
    expect(config.local).toEqual({ highAvailability: true, endpointPropagationMs: 1000, ports: {} });
  });

  it('each layer wins over the one before it, field by field', async () => {
    const file = await configFile(
      'layers.yaml',
      'from: v1.8.0\nto: v1.9.0\nreportDir: from-file\nload:\n  rate: 100\n  connections: 8\n',
    );
    const env = { UPCERT_RATE: '200', UPCERT_REPORT_DIR: 'from-env' };
    const flags = flagLayer({ values: [], rate: '300' });

    const fileOnly = resolveConfig({ configFile: file, env: {} });
    expect([fileOnly.from, fileOnly.to, fileOnly.reportDir, fileOnly.load.rate]).toEqual([
      'v1.8.0',
      'v1.9.0',
      'from-file',
      100,
    ]);
    const withEnv = resolveConfig({ configFile: file, env });
    expect([withEnv.reportDir, withEnv.load.rate, withEnv.load.connections]).toEqual(['from-env', 200, 8]);
    const withFlags = resolveConfig({ configFile: file, env, flags });
    expect([withFlags.reportDir, withFlags.load.rate, withFlags.load.connections, withFlags.from]).toEqual([
      'from-env',
      300,
      8,
      'v1.8.0',
    ]);
  });

  it('variables are parsed into the configuration: numbers, booleans, lists and the front-door ports', () => {
    const config = resolveConfig({
      configFile: noFile(),
      env: {
        UPCERT_HA: 'false',
        UPCERT_ONLY: 'gateway-smoke, release-pinned',
        UPCERT_GATEWAY_PORT: '18080',
        UPCERT_CONTROL_PLANE_PORT: '18081',
      },
    });
    expect(config.local.highAvailability).toBe(false);
    expect(config.only).toEqual(['gateway-smoke', 'release-pinned']);
    expect(config.local.ports).toEqual({ gateway: 18080, controlPlane: 18081 });
  });
});

describe('invalid values name the field and where they came from', () => {
  it('from the file', async () => {
    const file = await configFile('bad-rate.yaml', 'load:\n  rate: fast\n');
    const error = badInput(() => resolveConfig({ configFile: file, explicitConfigFile: true, env: {} }));
    expect(error.field).toBe('load.rate');
    expect(error.message).toMatch(new RegExp(`^config: load\\.rate: .+ \\(from ${file}\\)$`));
  });

  it('a key the schema does not know, from the file', async () => {
    const file = await configFile('unknown-key.yaml', 'local:\n  highAvailability: true\n  prots: {}\n');
    const error = badInput(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.field).toBe('local.prots');
    expect(error.message).toContain('prots');
    expect(error.message).toContain(`(from ${file})`);
  });

  it('from a variable, even when the file sets the same field', async () => {
    const file = await configFile('good-rate.yaml', 'load:\n  rate: 100\n');
    const error = badInput(() => resolveConfig({ configFile: file, env: { UPCERT_RATE: 'abc' } }));
    expect(error.field).toBe('load.rate');
    expect(error.message).toMatch(/^config: load\.rate: .+ \(from UPCERT_RATE\)$/);
  });

  it.each([
    ['UPCERT_HA', 'maybe', 'local.highAvailability'],
    ['UPCERT_GATEWAY_PORT', '70000', 'local.ports.gateway'],
    ['UPCERT_TARGET', 'moon', 'target'],
    ['UPCERT_SKIP', 'no-such-check', 'skip.0'],
  ])('%s=%s names %s and the variable', (name, value, field) => {
    const error = badInput(() => resolveConfig({ configFile: noFile(), env: { [name]: value } }));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`(from ${name})`);
  });

  it('from the command line', () => {
    const error = badInput(() => resolveConfig({ configFile: noFile(), env: {}, flags: { reportDir: '' } }));
    expect(error.message).toMatch(/^config: reportDir: .+ \(from the command line\)$/);
  });

  it('flags that cannot even be put into the configuration name the flag', () => {
    expect(badInput(() => flagLayer({ values: [], rate: 'abc' })).message).toBe(
      '--rate: expected a positive number, got abc',
    );
    const only = badInput(() => flagLayer({ values: [], only: 'gateway-smoke,nope' }));
    expect(only.field).toBe('--only');
    expect(only.message).toMatch(/^--only: unknown check id nope \(known: .*gateway-smoke.*\)$/);
  });

  it('an explicitly given file that does not exist, or is not YAML, is bad input naming it', async () => {
    expect(badInput(() => resolveConfig({ configFile: noFile(), explicitConfigFile: true, env: {} })).message).toBe(
      `config: file not found: ${noFile()}`,
    );
    const broken = await configFile('broken.yaml', 'load: [rate: 1\n');
    expect(badInput(() => resolveConfig({ configFile: broken, env: {} })).message).toContain(
      `config: ${broken} is not valid YAML`,
    );
  });
});

describe('the printed configuration', () => {
  it('shows every resolved value and redacts registered secrets', () => {
    const secret = 'tok-4f9c2e7a1b';
    redact(secret);
    const config = resolveConfig({ configFile: noFile(), env: { UPCERT_CONTEXT: `staging-${secret}` } });
    const printed = describeConfig(config);
    expect(printed).not.toContain(secret);
    expect(printed).toContain('"context": "staging-[redacted]"');
    expect(JSON.parse(printed)).toMatchObject({ load: { rate: 200 }, local: { ports: {} } });
  });
});
