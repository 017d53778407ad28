import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import type { Matrix } from '../../src/matrix/matrix-schema.ts';
import { mergeMatrix } from '../../src/matrix/merge.ts';
import { plannedCells } from '../../src/matrix/planned.ts';
import { ResultsStore } from '../../src/matrix/results-store.ts';
import { runCells } from '../../src/matrix/run-matrix.ts';
import { writeMatrixReport } from '../../src/matrix/write-report.ts';
import { hasChromium, type OfflineVisit, openOffline } from '../report/support/offline-page.ts';
import { replayExecutor } from './support/fixture-cells.ts';

describe('matrix.html', () => {
  let tmp: string;
  let html: string;
  let matrix: Matrix;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'upcert-matrix-page-'));
    const config = resolveConfig({ configFile: 'no-such-upcert.config.yaml', env: {} });
    const opts = { to: 'v1.9.0', targets: ['local' as const], topologies: ['ha' as const], unsupported: true };
    const { planned, sourceTree } = plannedCells(config, opts);
    const store = new ResultsStore(path.join(tmp, 'results'));
    const records = await runCells(planned, { store, rerun: false, execute: replayExecutor([]), say: () => {} });
    const reportDir = path.join(tmp, 'results', 'report');
    matrix = mergeMatrix({ to: 'v1.9.0', sourceTree, planned, records, reportDir, margins: config.matrix.margins });
    html = (await writeMatrixReport(reportDir, matrix, records)).html;
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('is one self-contained file: no external script, style, image or font', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(text).not.toMatch(/url\(|@import|https?:\/\//i);
  });

  // Off CI a machine without Chromium skips (`npx upcert setup` gets it); in CI it must run.
  it.skipIf(!hasChromium && process.env.CI !== 'true')(
    'opens offline in Chromium: rows from-version or path, columns target × baseline × topology, each cell',
    async () => {
      let page: OfflineVisit | undefined;
      try {
        page = await openOffline(html);
        const seen = await page.evaluate(() => ({
          columns: [...document.querySelectorAll('table.matrix thead th[scope=col]')].map((e) => e.textContent),
          rows: [...document.querySelectorAll('table.matrix tbody th[scope=row]')].map((e) => e.textContent),
          cells: [...document.querySelectorAll('td.cell[data-cell]')].map((e) => ({
            id: e.getAttribute('data-cell'),
            status: e.getAttribute('data-status'),
            figures: [...e.querySelectorAll('dd[data-figure]')].map((d) => d.getAttribute('data-figure')),
            timelines: [...e.querySelectorAll('a.timeline')].map((a) => a.getAttribute('href')),
            failed: e.querySelectorAll('ul.failed-checks li').length,
          })),
          gate: document.querySelector('.gate')?.getAttribute('data-exit-code'),
        }));
        expect(page.consoleErrors).toEqual([]);
        expect(page.blockedRequests).toEqual([]);
        expect(seen.columns).toEqual(['local × no Kubernetes × ha']);
        expect(new Set(seen.rows)).toEqual(new Set(['v1.7.0 → v1.8.0', 'v1.7.0', 'v1.8.0']));
        expect(seen.gate).toBe(String(matrix.gate.exitCode));
        for (const c of matrix.cells) {
          const shown = seen.cells.find((x) => x.id === c.id)!;
          expect(shown.status).toBe(c.status);
          expect(shown.figures).toEqual([
            'duration',
            'requests',
            'worst p99',
            'upgrade',
            ...(c.figures?.rolloutOutageMs != null ? ['restore outage'] : []),
          ]);
          expect(shown.failed).toBe(c.failedChecks.length);
          expect(shown.timelines).toEqual(c.timelines);
          expect(shown.timelines.length).toBe(c.path.length - 1);
        }
        await page.screenshot(path.join(tmp, 'matrix.png'));
      } finally {
        await page?.close();
      }
    },
  );
});
