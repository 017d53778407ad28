import { consoleBrowserOf, seededOrganization } from '../checks/console-sign-in/browser.ts';
import { selection } from '../checks/registry.ts';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';

const log = createLogger('sign-in');

/**
 * Before the upgrade: sign in and keep the browser context (the "old session" that must survive the
 * upgrade). A failed sign-in does not stop the journey: `console-sign-in` reports it in the later phases.
 */
export async function openConsoleSession(run: RunState): Promise<void> {
  const skipped = selection('console-sign-in', run.config.only, run.config.skip);
  if (skipped) {
    log.info(`no console session: console-sign-in is ${skipped}`);
    return;
  }
  const unreachable = run.unsupported.console;
  if (unreachable) {
    log.warn(`no console session: ${unreachable}`);
    return;
  }
  const visit = await consoleBrowserOf(run).openSession(seededOrganization(run));
  if (visit.landed) {
    run.timeline.mark('console-session-opened', `signed in in ${visit.durationMs} ms`);
    log.info(`console session opened in ${visit.durationMs} ms (${visit.screenshot ?? 'no screenshot'})`);
  } else {
    log.warn(`console sign-in before the upgrade failed at ${visit.stage}: ${visit.error ?? visit.url}`);
  }
}
