import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineDataOf } from '../../src/report/timeline-data.ts';
import { syntheticRun } from './synthetic-run.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('upcert report [run-dir]', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'upcert-report-'));
    const results = path.join(dir, 'run', 'allure-results');
    await mkdir(results, { recursive: true });
    const { events, rollouts, phases } = timelineDataOf(syntheticRun());
    await writeFile(path.join(dir, 'run', 'timeline.json'), JSON.stringify({ runId: 'r1', events, rollouts, phases }));
    await writeFile(
      path.join(dir, 'run', 'certificate.json'),
      JSON.stringify({ from: 'v1.7.0', to: 'v1.8.0', target: 'local', verdict: 'passed', checks: [] }),
    );
    const uuid = '6f1f6d1e-0000-4000-8000-000000000001';
    await writeFile(
      path.join(results, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        name: 'release-pinned (install)',
        fullName: 'suites/certify.spec.ts#release-pinned (install)',
        status: 'passed',
        stage: 'finished',
        start: 1,
        stop: 2,
        labels: [{ name: 'phase', value: 'install' }],
        steps: [],
        attachments: [],
        parameters: [],
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the Allure HTML report and redraws timeline.html, and says where they are', async () => {
    const run = await execa('node', [path.join(root, 'bin/upcert.js'), 'report', path.join(dir, 'run')], {
      reject: false,
      timeout: 120_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const index = path.join(dir, 'run', 'allure-report', 'index.html');
    expect(run.stdout).toContain(`allure report: ${index}`);
    expect(run.stdout).toContain(`timeline:      ${path.join(dir, 'run', 'timeline.html')}`);
    expect(await readFile(index, 'utf8')).toContain('<div id="app">');
    const timeline = await readFile(path.join(dir, 'run', 'timeline.html'), 'utf8');
    expect(timeline).toContain('upcert timeline: v1.7.0 → v1.8.0 on local');
  });

  it('exits 2 naming the directory when there is no run there', async () => {
    const missing = path.join(dir, 'no-such-run');
    const run = await execa('node', [path.join(root, 'bin/upcert.js'), 'report', missing], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`no run directory at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
