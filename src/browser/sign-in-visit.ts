import type { BrowserContext, Page } from 'playwright-core';
import type { ConsoleVisit } from './evidence.ts';
import { readLanding } from './landing.ts';
import { NavigationTrace } from './navigation-trace.ts';
import { loginUrlRegExp } from './profile.ts';
import { deadline, errorLine, finishVisit, isLanding, type VisitState, type VisitTarget } from './visit.ts';

/** Resolves with the login page's error text once it shows one (the credentials were refused). */
async function refusal(page: Page, selector: string | undefined, login: RegExp, timeoutMs: number): Promise<string> {
  if (!selector) return new Promise(() => undefined);
  const alert = page.locator(selector).first();
  await alert.waitFor({ state: 'visible', timeout: timeoutMs });
  if (!login.test(page.url())) return new Promise(() => undefined);
  return ((await alert.textContent({ timeout: 1000 })) ?? '').trim() || '(an error without text)';
}

/**
 * A fresh sign-in in `context`, as the profile says: the console's start page must lead to identity's login
 * page; the form is filled with the admin user and submitted; the browser must land on the console's landing
 * page, which is then read. Every wait shares one deadline; a failed navigation (a redirect loop) ends it.
 */
export async function signInVisit(context: BrowserContext, target: VisitTarget, name: string): Promise<ConsoleVisit> {
  const startedAt = Date.now();
  const left = deadline(target.timeoutMs);
  const { profile } = target;
  const login = loginUrlRegExp(profile);
  const page = await context.newPage();
  const trace = new NavigationTrace(page);
  const state: VisitState = { stage: 'start', error: null, loginError: null, landing: null };
  try {
    await trace.race(page.goto(new URL(profile.startPath, target.consoleUrl).href, { timeout: left() }));
    await trace.race(page.waitForURL(login, { timeout: left() }));
    state.stage = 'login-form';
    await page.fill(profile.username.selector, profile.username.value, { timeout: left() });
    await page.fill(profile.password.selector, target.password, { timeout: left() });
    state.stage = 'submit';
    const landed = page.waitForURL((u) => isLanding(target, u), { timeout: left() }).then(() => null);
    const refused = refusal(page, profile.errorSelector, login, left());
    for (const p of [landed, refused]) p.catch(() => undefined);
    await page.click(profile.submit, { timeout: left() });
    state.loginError = await trace.race(Promise.race([landed, refused]));
    if (state.loginError !== null) return await finishVisit(target, page, trace, state, name, startedAt);
    state.stage = 'landing';
    state.landing = await readLanding(page, profile, target.organizationId, left());
    state.stage = 'done';
  } catch (error) {
    state.error = errorLine(error);
  }
  return finishVisit(target, page, trace, state, name, startedAt);
}
