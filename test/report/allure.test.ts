import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { checkMessages } from '../../src/report/allure-checks.ts';
import { generateAllureReport, withoutAnalytics } from '../../src/report/allure-report.ts';
import { CertificationAllureReporter } from '../../src/report/allure-reporter.ts';
import { hasChromium, openOffline } from './support/offline-page.ts';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const checks = [
  {
    id: 'release-pinned',
    phase: 'install',
    status: 'passed',
    summary: '8 replicas of 4 components run v1.7.0 exactly',
    evidence: { replicas: 8 },
  },
  {
    id: 'console-sign-in',
    phase: 'upgrade',
    status: 'failed',
    summary: 'the seeded organization is not on the dashboard',
    evidence: { landing: '/dashboard', screenshots: ['screenshots/dashboard.png', 'screenshots/missing.png'] },
  },
] as const;

/**
 * Two check tests as the certification suite names them, and a step; the certificate is already written. A failed
 * check throws an AssertionError so that Allure reports it failed (a plain Error reads as broken).
 */
const spec = `
describe('certify v1.7.0 → v1.8.0 on local', () => {
  test('prepare the target and install N', () => {});
  test('release-pinned (install)', () => {});
  test('console-sign-in (upgrade)', async () => {
    const { AssertionError } = await import('node:assert');
    throw new AssertionError({ message: 'console-sign-in (upgrade) failed: not on the dashboard' });
  });
});
`;

describe('Allure results and report of a certification run', () => {
  let dir: string;
  let runDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'upcert-allure-'));
    runDir = path.join(dir, 'run');
    await mkdir(path.join(runDir, 'screenshots'), { recursive: true });
    await writeFile(path.join(runDir, 'screenshots', 'dashboard.png'), png);
    await writeFile(path.join(runDir, 'certificate.json'), JSON.stringify({ from: 'v1.7.0', to: 'v1.8.0', checks }));
    await writeFile(path.join(dir, 'journey.spec.ts'), spec);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('describes a check: phase and id as labels, summary, evidence as JSON, the screenshots that exist', () => {
    const messages = checkMessages(checks[1] as never, { from: 'v1.7.0', to: 'v1.8.0' }, runDir);
    const meta = messages.find((m) => m.type === 'metadata');
    expect(meta?.data.labels).toEqual(
      expect.arrayContaining([
        { name: 'phase', value: 'upgrade' },
        { name: 'check', value: 'console-sign-in' },
        { name: 'feature', value: 'upgrade' },
      ]),
    );
    expect(meta?.data.description).toContain('the seeded organization is not on the dashboard');
    const evidence = messages.find((m) => m.type === 'attachment_content');
    expect(JSON.parse(Buffer.from(evidence!.data.content, 'base64').toString())).toEqual(checks[1].evidence);
    const shots = messages.filter((m) => m.type === 'attachment_path');
    expect(shots.map((m) => m.data.path)).toEqual([path.join(runDir, 'screenshots', 'dashboard.png')]);
  });

  it('writes allure-results through allure-vitest with each check carrying its evidence, then an HTML report', async () => {
    const vitest = await startVitest('test', [], {
      root: dir,
      config: false,
      watch: false,
      globals: true,
      include: ['journey.spec.ts'],
      pool: 'forks',
      reporters: [new CertificationAllureReporter(runDir, { from: 'v1.7.0', to: 'v1.8.0' })],
    });
    await vitest?.close();
    const resultsDir = path.join(runDir, 'allure-results');
    const files = await readdir(resultsDir);
    const results = await Promise.all(
      files
        .filter((f) => f.endsWith('-result.json'))
        .map(async (f) => JSON.parse(await readFile(path.join(resultsDir, f), 'utf8'))),
    );
    expect(results.map((r) => r.name).sort()).toEqual([
      'console-sign-in (upgrade)',
      'prepare the target and install N',
      'release-pinned (install)',
    ]);
    const signIn = results.find((r) => r.name === 'console-sign-in (upgrade)');
    expect(signIn.status).toBe('failed');
    const labels = Object.fromEntries(signIn.labels.map((l: { name: string; value: string }) => [l.name, l.value]));
    expect(labels).toMatchObject({ phase: 'upgrade', check: 'console-sign-in', epic: 'certify v1.7.0 → v1.8.0' });
    expect(signIn.description).toContain('the seeded organization is not on the dashboard');
    const attachments = signIn.attachments as {
      name: string;
      source: string;
      type: string;
    }[];
    expect(attachments.map((a) => [a.name, a.type])).toEqual([
      ['evidence', 'application/json'],
      ['dashboard.png', 'image/png'],
    ]);
    const evidence = JSON.parse(await readFile(path.join(resultsDir, attachments[0]!.source), 'utf8'));
    expect(evidence).toEqual(checks[1].evidence);
    expect(await readFile(path.join(resultsDir, attachments[1]!.source))).toEqual(png);
    const step = results.find((r) => r.name === 'prepare the target and install N');
    expect(step.labels.some((l: { name: string }) => l.name === 'check')).toBe(false);

    const index = await generateAllureReport(runDir);
    expect(index).toBe(path.join(runDir, 'allure-report', 'index.html'));
    const html = await readFile(index, 'utf8');
    expect(html).not.toContain('googletagmanager');
    if (!hasChromium) return;
    const page = await openOffline(index);
    try {
      await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
      const text = await page.evaluate(() => document.body.textContent ?? '');
      expect(page.consoleErrors).toEqual([]);
      expect(page.blockedRequests).toEqual([]);
      expect(text).toContain('console-sign-in (upgrade)');
    } finally {
      await page.close();
    }
  });

  it('says so when a run has no Allure results', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(generateAllureReport(empty)).rejects.toThrow(/no Allure results in .*empty\/allure-results/);
    expect(existsSync(path.join(empty, 'allure-report'))).toBe(false);
  });

  it('removes the analytics tag Allure adds, and nothing else', () => {
    const tag =
      "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-X\"></script>\n    <script>\n window.dataLayer = [];\n gtag('config', 'G-X', {});\n    </script>";
    expect(withoutAnalytics(`<body><div id="app"></div>${tag}<script>app()</script></body>`)).toBe(
      '<body><div id="app"></div><script>app()</script></body>',
    );
  });
});
