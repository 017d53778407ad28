import { ConsoleBrowser } from '../browser/console-browser.ts';
import type { ConsoleSignInEvidence } from '../browser/evidence.ts';
import { loadProfile } from '../browser/profile.ts';
import { NotSupportedError } from '../checks/check.ts';
import { selection } from '../checks/registry.ts';
import { createLogger } from '../common/logger.ts';
import type { Phase } from '../release/manifest.ts';
import { browserAccessOf } from '../targets/target.ts';
import type { RunState } from './run-state.ts';

const log = createLogger('sign-in');

/** The run's one browser (launched on first use, closed by `Certification.finish`). */
export function consoleBrowserOf(run: RunState): ConsoleBrowser {
  if (!run.consoleBrowser) {
    const platform = run.requirePlatform();
    const { browser, timeouts } = run.config;
    const profile = loadProfile(browser.profileFile ?? browser.profile);
    if (!profile.tested) log.warn(`browser profile ${profile.name} is untested: ${profile.description}`);
    const access = browserAccessOf(platform);
    if (!access) throw new NotSupportedError(browserCannotReach(run) ?? 'no browser access');
    run.consoleBrowser = new ConsoleBrowser({
      consoleUrl: access.consoleUrl,
      hostResolverRules: access.hostResolverRules,
      password: platform.secrets.adminPassword,
      profile,
      timeoutMs: timeouts.signInSeconds * 1000,
      executablePath: browser.executablePath,
      reportDir: run.reportDir,
    });
  }
  return run.consoleBrowser;
}

/** The organization the dashboard must show: the first one seeded. */
export function seededOrganization(run: RunState): string {
  const first = run.requireSeeded().records.organizations[0];
  if (!first) throw new Error('console sign-in: no organization was seeded');
  return first.id;
}

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
  const unreachable = browserCannotReach(run);
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

/**
 * Whether a browser on this machine can sign in: the platform says how (local: its front door; kind: the
 * console's public URL on a NodePort, with resolver rules for the public names). An existing cluster whose
 * chart renders identity and console as in-cluster names gives no way in.
 */
function browserCannotReach(run: RunState): string | undefined {
  return browserAccessOf(run.requirePlatform())
    ? undefined
    : `the ${run.config.target} target gives a browser on this machine no way to the console (identity and console render as in-cluster names; set the chart's publicUrls)`;
}

/** console-sign-in's evidence in a phase: a fresh sign-in, and the old session after the upgrade. */
export function consoleSignInEvidence(run: RunState, phase: Phase): Promise<ConsoleSignInEvidence> {
  const unreachable = browserCannotReach(run);
  if (unreachable) throw new NotSupportedError(unreachable);
  // Not after a restore: the session is opened after the backup, and restoring the backup puts the database
  // (sessions included) back to before it existed, as the product's upgrade page says a restore does.
  const restored = phase === 'rollback' && run.to.rollback === 'restore-required';
  return consoleBrowserOf(run).check(phase, seededOrganization(run), phase !== 'install' && !restored);
}
