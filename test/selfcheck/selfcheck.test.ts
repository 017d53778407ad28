/**
 * The whole selfcheck, once, in CI (`CI=true`; `.ci/run` sets it): every good pair passes and every broken
 * release is caught by its expected check in its expected phase, nothing undeclared failing. About 22
 * certifications of 90-130 s each on 2 cores (≈40 min at 200 req/s, 2026-12-02); its time is printed, not
 * asserted (speed is for benchmarks); elsewhere run `npx upcert selfcheck` by hand.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/upcert.js', import.meta.url));

describe.runIf(process.env.CI === 'true')('upcert selfcheck', () => {
  it('certifies the good pairs and catches every broken release', { timeout: 3_660_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-selfcheck-'));
    try {
      const json = path.join(dir, 'matrix.json');
      const started = Date.now();
      const run = await execa(process.execPath, [bin, 'selfcheck', '--json', json, '--report-dir', dir], {
        reject: false,
        all: true,
        timeout: 3_600_000,
      });
      const minutes = (Date.now() - started) / 60_000;
      // the detection matrix into CI's log, pass or fail
      process.stdout.write(`${run.stdout}\nselfcheck took ${minutes.toFixed(1)} min\n`);
      const matrix = JSON.parse(await readFile(json, 'utf8')) as {
        cases: { name: string; ok: boolean; problems: string[] }[];
      };
      const wrong = matrix.cases.filter((c) => !c.ok).map((c) => `${c.name}: ${c.problems.join('; ')}`);
      expect(wrong, run.all?.slice(-4000)).toEqual([]);
      expect(run.exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
