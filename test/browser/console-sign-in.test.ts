/**
 * console-sign-in against the real local platform (identity, console, control plane on embedded
 * PostgreSQL) in headless Chromium: it passes on a good upgrade with the session opened before it, and
 * fails for the right reasons on the `console-session-broken` build of the next release.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPlatform, startTestPlatform } from '../../fixtures/platform/test/support/platform.ts';
import { ConsoleBrowser } from '../../src/browser/console-browser.ts';
import { loadProfile, signInProfileOf } from '../../src/browser/profile.ts';
import { consoleSignIn } from '../../src/checks/console-sign-in/check.ts';
import { queryable } from '../../src/checks/evidence/tenant-data.ts';
import { upcertConfigSchema } from '../../src/config/schema.ts';
import { seedTenants } from '../../src/seed/index.ts';
import { buildDefectRelease, type DefectRelease } from './support/defect-release.ts';

const config = upcertConfigSchema.parse({});
const timeoutMs = config.timeouts.signInSeconds * 1000;

describe('console-sign-in on the local platform', () => {
  let platform: LocalPlatform | undefined;
  let broken: DefectRelease | undefined;
  let reportDir = '';
  let browser: ConsoleBrowser | undefined;
  let organization = '';

  const newBrowser = (password: string) =>
    new ConsoleBrowser({
      consoleUrl: platform!.endpoints.console,
      password,
      profile: loadProfile(signInProfileOf(config.browser, undefined)),
      timeoutMs,
      executablePath: config.browser.executablePath,
      reportDir,
    });

  beforeAll(async () => {
    reportDir = await mkdtemp(path.join(tmpdir(), 'upcert-sign-in-report-'));
    const [started, built] = await Promise.allSettled([
      startTestPlatform({ release: config.from }),
      buildDefectRelease({
        defect: 'console-session-broken',
        base: config.to,
        pair: config.from,
        expect: [{ check: 'console-sign-in', phase: 'upgrade' }],
      }),
    ]);
    if (started.status === 'fulfilled') platform = started.value;
    if (built.status === 'fulfilled') broken = built.value;
    for (const r of [started, built]) if (r.status === 'rejected') throw r.reason;
    const seeded = await seedTenants({
      api: { url: platform!.endpoints.controlPlane, adminToken: platform!.secrets.adminToken },
      version: platform!.release,
      db: queryable(platform!),
      providerMockUrl: platform!.platformUrls.providerMock,
    });
    organization = seeded.records.organizations[0]!.id;
    browser = newBrowser(platform!.secrets.adminPassword);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.[Symbol.asyncDispose]();
    await broken?.[Symbol.asyncDispose]();
    if (reportDir) await rm(reportDir, { recursive: true, force: true });
  }, 120_000);

  it('passes at install: a fresh sign-in reaches the dashboard showing the seeded organization', async () => {
    const evidence = await browser!.check('install', organization, false);
    const verdict = consoleSignIn.judge(evidence, 'install');
    expect(verdict.summary).toBe(`signed in as admin, the dashboard shows ${organization}`);
    expect(verdict.passed).toBe(true);
    expect(evidence.signIn.navigations.some((n) => /\/interaction\//.test(n))).toBe(true);
    expect(evidence.signIn.version).toBe(`upcert reference console ${config.from}`);
    expect(evidence.screenshots).toEqual(['screenshots/console-install-sign-in.png']);
    expect(existsSync(path.join(reportDir, evidence.screenshots[0]!))).toBe(true);
  }, 60_000);

  it('fails when the dashboard does not show the organization, or the password is refused', async () => {
    const missing = consoleSignIn.judge(await browser!.check('install-other', 'no-such-org', false), 'install');
    expect(missing.passed).toBe(false);
    expect(missing.summary).toBe('dashboard does not show organization no-such-org');

    await using wrong = newBrowser(`${platform!.secrets.adminPassword}-wrong`);
    const refused = consoleSignIn.judge(await wrong.check('install-wrong', organization, false), 'install');
    expect(refused.passed).toBe(false);
    expect(refused.summary).toBe('the login page refused the admin user: Invalid username or password.');
  }, 90_000);

  it(`passes after the upgrade to ${config.to}: the session opened on ${config.from} opens the dashboard directly`, async () => {
    expect((await browser!.openSession(organization)).landed).toBe(true);
    await platform!.upgrade(config.to);
    const evidence = await browser!.check('upgrade', organization, true);
    const verdict = consoleSignIn.judge(evidence, 'upgrade');
    expect(verdict.summary).toContain('the session opened before the upgrade still opens it');
    expect(verdict.passed).toBe(true);
    expect(evidence.oldSession).toMatchObject({ redirectedTo: null, status: 200, landed: true, tenantShown: true });
    expect(evidence.oldSession?.version).toBe(`upcert reference console ${config.to}`);
    expect(evidence.screenshots).toHaveLength(2);
  }, 120_000);

  it('fails after the upgrade to the console-session-broken build: sign-in loops, the old session is refused', async () => {
    await platform!.upgrade(broken!.release);
    const evidence = await browser!.check('broken', organization, true);
    const verdict = consoleSignIn.judge(evidence, 'upgrade');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe(
      'sign-in looped back to the login page (ERR_TOO_MANY_REDIRECTS); ' +
        'old session redirected to /login after the upgrade, then looped (ERR_TOO_MANY_REDIRECTS)',
    );
    expect(evidence.signIn).toMatchObject({ stage: 'submit', landed: false });
    expect(evidence.oldSession?.navigations.slice(0, 2)).toEqual(['/', '/login']);
  }, 120_000);
});
