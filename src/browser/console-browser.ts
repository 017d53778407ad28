import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger, redact } from '../common/logger.ts';
import type { ConsoleSignInEvidence, ConsoleVisit } from './evidence.ts';
import { launchChromium } from './launch.ts';
import type { ProductProfile } from './profile.ts';
import { sessionVisit } from './session-visit.ts';
import { signInVisit } from './sign-in-visit.ts';
import { errorLine, type VisitTarget } from './visit.ts';

const log = createLogger('browser');

export interface ConsoleBrowserOptions {
  consoleUrl: string;
  /** the admin user's password (registered for redaction). */
  password: string;
  profile: ProductProfile;
  /** bound of the browser's launch and of each visit (`timeouts.signInSeconds`). */
  timeoutMs: number;
  executablePath?: string;
  /** Chromium `--host-resolver-rules` (kind: the public names of console and identity → 127.0.0.1). */
  hostResolverRules?: string;
  /** screenshots go into `<reportDir>/screenshots/`. */
  reportDir: string;
}

/**
 * One browser for a whole run (launched on first use): fresh sign-ins in throwaway contexts, and the
 * session opened before the upgrade, kept in its own context until `close`.
 */
export class ConsoleBrowser implements AsyncDisposable {
  private browser: Promise<Browser> | undefined;
  private session: BrowserContext | undefined;
  /** the sign-in that opened the kept session (whether or not it succeeded). */
  private opening: ConsoleVisit | undefined;

  constructor(private readonly opts: ConsoleBrowserOptions) {
    redact(opts.password);
  }

  private launch(): Promise<Browser> {
    this.browser ??= launchChromium({
      executablePath: this.opts.executablePath,
      timeoutMs: this.opts.timeoutMs,
      hostResolverRules: this.opts.hostResolverRules,
    });
    this.browser.catch(() => {
      this.browser = undefined;
    });
    return this.browser;
  }

  private target(organizationId: string): VisitTarget {
    return {
      consoleUrl: this.opts.consoleUrl,
      profile: this.opts.profile,
      password: this.opts.password,
      organizationId,
      timeoutMs: this.opts.timeoutMs,
      screenshot: (page, name) => this.screenshot(page, name),
    };
  }

  private async screenshot(page: Page, name: string): Promise<string | null> {
    const relative = path.join('screenshots', `console-${name}.png`);
    try {
      await mkdir(path.join(this.opts.reportDir, 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.join(this.opts.reportDir, relative), fullPage: true, timeout: 5000 });
      return relative;
    } catch (error) {
      log.warn(`screenshot ${relative}: ${errorLine(error)}`);
      return null;
    }
  }

  /** Signs in and keeps the context (the "old session"); a failed sign-in is kept as evidence, not thrown. */
  async openSession(organizationId: string): Promise<ConsoleVisit> {
    const context = await (await this.launch()).newContext();
    const visit = await signInVisit(context, this.target(organizationId), 'session-opened');
    this.opening = visit;
    if (visit.landed) {
      await this.session?.close().catch(() => undefined);
      this.session = context;
    } else {
      await context.close().catch(() => undefined);
    }
    return visit;
  }

  private async freshSignIn(target: VisitTarget, name: string): Promise<ConsoleVisit> {
    const context = await (await this.launch()).newContext();
    try {
      return await signInVisit(context, target, name);
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /** A fresh sign-in and, at the same time, the old session (when one was opened) visiting the console again. */
  async check(label: string, organizationId: string, oldSessionRequired: boolean): Promise<ConsoleSignInEvidence> {
    const target = this.target(organizationId);
    const [signIn, oldSession] = await Promise.all([
      this.freshSignIn(target, `${label}-sign-in`),
      this.session ? sessionVisit(this.session, target, `${label}-old-session`) : null,
    ]);
    return {
      profile: this.opts.profile.name,
      profileTested: this.opts.profile.tested,
      console: this.opts.consoleUrl,
      expectedHeading: this.opts.profile.landing.heading.text,
      organization: organizationId,
      signIn,
      oldSessionRequired,
      sessionOpening: this.opening ?? null,
      oldSession,
      screenshots: [signIn.screenshot, oldSession?.screenshot].filter((s): s is string => typeof s === 'string'),
    };
  }

  /** Closes the kept session and the browser; never throws (teardown must not hide a run's failure). */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    const session = this.session;
    this.session = undefined;
    await session?.close().catch(() => undefined);
    if (!browser) return;
    try {
      await (await browser).close();
    } catch (error) {
      log.warn(`close browser: ${errorLine(error)}`);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
