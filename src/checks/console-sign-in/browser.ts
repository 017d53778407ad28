import { ConsoleBrowser } from '../../browser/console-browser.ts';
import { loadProfile, signInProfileOf } from '../../browser/profile.ts';
import { createLogger } from '../../common/logger.ts';
import { browserAccessOf } from '../../targets/target.ts';
import { NotSupportedError } from '../check.ts';
import type { RunState } from '../run-state.ts';

const log = createLogger('sign-in');

/** The run's one browser (launched on first use, closed by `Certification.finish`). */
export function consoleBrowserOf(run: RunState): ConsoleBrowser {
  if (!run.consoleBrowser) {
    const platform = run.requirePlatform();
    const { browser, timeouts } = run.config;
    const profile = loadProfile(signInProfileOf(browser, run.profile));
    if (!profile.tested) log.warn(`browser profile ${profile.name} is untested: ${profile.description}`);
    const access = browserAccessOf(platform);
    if (!access) throw new NotSupportedError(run.unsupported.console ?? 'no browser access');
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
