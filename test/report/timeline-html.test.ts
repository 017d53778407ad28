import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineDataOf } from '../../src/report/timeline-data.ts';
import { writeTimelineHtml } from '../../src/report/timeline-html.ts';
import { timelineModel } from '../../src/report/timeline-sections.ts';
import { versionColors } from '../../src/report/timeline-style.ts';
import { hasChromium, type OfflineVisit, openOffline } from './support/offline-page.ts';
import { syntheticRun } from './synthetic-run.ts';

describe('timeline.html', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'upcert-timeline-'));
    file = await writeTimelineHtml(dir, syntheticRun());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is one self-contained file: no external script, style, image or font', async () => {
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    expect(html.length).toBeLessThan(200_000);
  });

  // Off CI a machine without Chromium skips (`npx upcert setup` gets it); in CI it must run.
  it.skipIf(!hasChromium && process.env.CI !== 'true')(
    'opens offline in Chromium with no console error and shows requests, versions, markers',
    async () => {
      let page: OfflineVisit | undefined;
      try {
        page = await openOffline(file);
        const seen = await page.evaluate(() => {
          const kinds = (sel: string) => [...document.querySelectorAll(sel)].map((e) => e.getAttribute('data-kind'));
          return {
            phases: [...document.querySelectorAll('h2')].map((h) => h.textContent),
            summary: document.querySelector('#phase-upgrade + .summary')?.textContent,
            runMarkers: kinds('svg.section .marker.run'),
            replicaMarkers: kinds('svg.section .marker.replica'),
            laneEvents: kinds('svg.section .ev'),
            versions: [...document.querySelectorAll('svg.section polygon.version')].map((e) =>
              e.getAttribute('data-version'),
            ),
            failedTicks: document.querySelectorAll('svg.section .failed-tick').length,
            latencyLines: [...document.querySelectorAll('svg.section .latency polyline')].map((e) =>
              e.getAttribute('class'),
            ),
            lateTicks: [...document.querySelectorAll('svg.section .late-tick title')].map((e) => e.textContent),
            legend: document.querySelector('.legend')?.textContent,
          };
        });
        expect(page.consoleErrors).toEqual([]);
        expect(page.blockedRequests).toEqual([]);
        expect(seen.phases).toEqual(['install', 'upgrade']);
        expect(seen.summary).toContain('4001 requests: 3900 served, 100 refused as expected, 1 failed');
        expect(seen.runMarkers).toEqual(
          expect.arrayContaining([
            'load-started',
            'upgrade-started',
            'migration-head',
            'upgrade-complete',
            'load-stopped',
          ]),
        );
        expect(seen.replicaMarkers).toEqual(['replica-ready', 'endpoint-added', 'sigterm', 'endpoint-removed']);
        expect(seen.laneEvents).toEqual(expect.arrayContaining(['replica-created', 'sigterm', 'replica-exited']));
        expect(new Set(seen.versions)).toEqual(new Set(['v1.7.0', 'v1.8.0']));
        expect(seen.failedTicks).toBe(1);
        // the stall reads as a stall: p99 climbs where the late requests were meant to start, and each is marked
        expect(new Set(seen.latencyLines)).toEqual(new Set(['p50', 'p99']));
        expect(seen.lateTicks).toHaveLength(3);
        expect(seen.lateTicks[0]).toBe('40 requests went out 50 ms or more after their intended start (p99 2 s)');
        expect(seen.legend).toContain('served by v1.8.0');
        await page.hover('svg.section[data-section="1"]', { x: 600, y: 120 });
        expect(await page.evaluate(() => document.getElementById('tip')?.textContent)).toMatch(/served\s+\d+/);
        await page.screenshot(path.join(dir, 'timeline.png'));
      } finally {
        await page?.close();
      }
    },
  );

  it('sums neighbouring buckets when a phase has more than the point budget, losing no request', () => {
    const data = timelineDataOf(syntheticRun());
    const model = timelineModel(data, 30);
    const upgrade = model.sections.find((s) => s.phase === 'upgrade')!;
    expect(upgrade.served.length).toBeLessThanOrEqual(30);
    expect(upgrade.bucketMs % 100).toBe(0);
    expect(upgrade.bucketMs).toBeGreaterThan(100);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect([sum(upgrade.served), sum(upgrade.refused), sum(upgrade.failed)]).toEqual([3900, 100, 1]);
    expect(sum(upgrade.byVersion.flat())).toBe(4000);
  });

  it('draws an event reported twice once', () => {
    const data = timelineDataOf(syntheticRun());
    data.events.push({ ...data.events.find((e) => e.kind === 'sigterm')! });
    expect(timelineModel(data).events.filter((e) => e.kind === 'sigterm')).toHaveLength(1);
  });
});

describe('version colours', () => {
  it('gives N the first colour and N+1 the second, also when the release name carries a defect suffix', () => {
    const colors = versionColors(['v1.8.0', 'v1.7.0', 'v9.9.9'], 'v1.7.0-stream-cut', 'v1.8.0');
    const other = versionColors(['v1.7.0', 'v1.8.0'], 'v1.7.0', 'v1.8.0');
    expect(colors.get('v1.7.0')).toBe(other.get('v1.7.0'));
    expect(colors.get('v1.8.0')).toBe(other.get('v1.8.0'));
    expect(new Set(colors.values()).size).toBe(3);
  });
});
