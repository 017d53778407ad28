import type { Page } from 'playwright-core';
import { redactText } from '../common/logger.ts';
import type { ConsoleVisit, VisitStage } from './evidence.ts';
import type { Landing } from './landing.ts';
import { type NavigationTrace, withoutQuery } from './navigation-trace.ts';
import type { ProductProfile } from './profile.ts';

/** What one visit needs: the console, how to sign in there, what it must show, and where screenshots go. */
export interface VisitTarget {
  consoleUrl: string;
  profile: ProductProfile;
  password: string;
  organizationId: string;
  /** bound of the whole visit (`timeouts.signInSeconds`). */
  timeoutMs: number;
  /** Saves a screenshot of the page; returns its path relative to the report directory, or null. */
  screenshot(page: Page, name: string): Promise<string | null>;
}

/** Milliseconds left until a deadline `timeoutMs` from now (at least 1, so that a wait still times out). */
export function deadline(timeoutMs: number): () => number {
  const end = Date.now() + timeoutMs;
  return () => Math.max(1, end - Date.now());
}

export function consoleOrigin(target: VisitTarget): string {
  return new URL(target.consoleUrl).origin;
}

/** Whether a URL is the profile's landing page on the console. */
export function isLanding(target: VisitTarget, url: URL | string): boolean {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.origin === consoleOrigin(target) && u.pathname === target.profile.landing.path;
}

/** A console URL as a path (`/login`), any other as origin + path. */
export function display(target: VisitTarget, url: string): string {
  const bare = withoutQuery(url);
  const origin = consoleOrigin(target);
  return bare.startsWith(`${origin}/`) ? bare.slice(origin.length) : bare;
}

/** First line of an error, without query strings or secrets (Playwright appends its call log). */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
  return redactText(first.replace(/(https?:\/\/[^\s?#]+)[?#]\S*/g, '$1'));
}

export interface VisitState {
  stage: VisitStage;
  error: string | null;
  loginError: string | null;
  landing: Landing | null;
}

/** Screenshots the page (best effort), closes it, and assembles what the visit saw. */
export async function finishVisit(
  target: VisitTarget,
  page: Page,
  trace: NavigationTrace,
  state: VisitState,
  name: string,
  startedAt: number,
): Promise<ConsoleVisit> {
  const url = page.url();
  const screenshot = await target.screenshot(page, name);
  await page.close().catch(() => undefined);
  return {
    stage: state.stage,
    landed: state.stage === 'done' && isLanding(target, url),
    status: trace.status,
    url: withoutQuery(url),
    navigations: trace.hops.map((h) => display(target, h.url)),
    redirectedTo: trace.firstRedirect() === null ? null : display(target, trace.firstRedirect()!),
    heading: state.landing?.heading ?? null,
    tenantShown: state.landing?.tenantShown ?? false,
    version: state.landing?.version ?? null,
    loginError: state.loginError,
    error: state.error ?? (trace.failure ? redactText(trace.failure) : null),
    durationMs: Date.now() - startedAt,
    screenshot,
  };
}
