/** `helm lint` as charts are linted: with the chart's defaults alone, and with each chart-testing `ci/*-values.yaml`. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultRoot } from '../../src/release/catalog.ts';
import { chartDir, exampleSecrets, helmBin } from './support/render-release.ts';

const ciDir = path.join(chartDir, 'ci');
const readYaml = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const lint = (...flags: string[]) =>
  execa(helmBin, ['lint', chartDir, ...flags], { reject: false, all: true, timeout: 60_000 });

describe('helm lint fixtures/platform/chart', () => {
  it('passes with the defaults alone (no secrets: `required` only warns when linting)', async () => {
    const r = await lint();
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain('missing secret: secrets.adminToken');
  });

  it('ships ci/ values for default, HA and kind, each with the example secrets', () => {
    expect(readdirSync(ciDir).sort()).toEqual(['default-values.yaml', 'ha-values.yaml', 'kind-values.yaml']);
    const secrets = readYaml(exampleSecrets).secrets;
    for (const f of readdirSync(ciDir)) expect(readYaml(path.join(ciDir, f)).secrets, f).toEqual(secrets);
    expect(readYaml(path.join(ciDir, 'ha-values.yaml')).global).toEqual({ highAvailability: true });
  });

  it('ci/kind-values.yaml is kind/values.yaml plus the hostAliases a run adds', () => {
    const { secrets: _s, hostAliases, ...kind } = readYaml(path.join(ciDir, 'kind-values.yaml'));
    expect(kind).toEqual(readYaml(path.join(defaultRoot, 'kind', 'values.yaml')));
    expect(hostAliases).toEqual([{ ip: '10.1.2.3', hostnames: ['console.upcert.test', 'identity.upcert.test'] }]);
  });

  for (const file of ['default-values.yaml', 'ha-values.yaml', 'kind-values.yaml']) {
    it(`passes --strict with ci/${file}`, async () => {
      const r = await lint('--strict', '-f', path.join(ciDir, file));
      expect(r.exitCode, r.all).toBe(0);
    });
  }

  it('an invalid value fails the install, naming it (lint mode only logs `fail`, so helm template shows it)', async () => {
    const args = [
      'template',
      'x',
      chartDir,
      '-f',
      path.join(ciDir, 'kind-values.yaml'),
      '--set',
      'gateway.service.nodePort=80',
    ];
    const r = await execa(helmBin, args, { reject: false, all: true, timeout: 60_000 });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toContain('gateway.service.nodePort must be in 30000-32767, got 80');
  });
});
