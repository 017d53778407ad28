import type { BrowserContext } from 'playwright-core';
import type { ConsoleVisit } from './evidence.ts';
import { readLanding } from './landing.ts';
import { NavigationTrace } from './navigation-trace.ts';
import { deadline, errorLine, finishVisit, isLanding, type VisitState, type VisitTarget } from './visit.ts';

/**
 * A signed-in context opens the console's landing page again. The trace tells whether the console answered
 * it directly or redirected it (a rejected session that identity silently signs in again still redirects).
 */
export async function sessionVisit(context: BrowserContext, target: VisitTarget, name: string): Promise<ConsoleVisit> {
  const startedAt = Date.now();
  const left = deadline(target.timeoutMs);
  const page = await context.newPage();
  const trace = new NavigationTrace(page);
  const state: VisitState = { stage: 'landing', error: null, loginError: null, landing: null };
  try {
    const url = new URL(target.profile.landing.path, target.consoleUrl).href;
    await trace.race(page.goto(url, { timeout: left() }));
    if (isLanding(target, page.url())) {
      state.landing = await readLanding(page, target.profile, target.organizationId, left());
      state.stage = 'done';
    }
  } catch (error) {
    state.error = errorLine(error);
  }
  return finishVisit(target, page, trace, state, name, startedAt);
}
