import type { ConsoleSignInEvidence, ConsoleVisit } from '../../browser/evidence.ts';
import type { Phase } from '../../release/manifest.ts';
import { fail, pass, type Verdict } from '../check.ts';

/** `net::ERR_TOO_MANY_REDIRECTS` → `ERR_TOO_MANY_REDIRECTS`; other errors as they are. */
function shortError(error: string): string {
  return error.match(/net::(ERR_[A-Z_]+)/)?.[1] ?? error;
}

const looped = (v: ConsoleVisit) => v.error !== null && /ERR_TOO_MANY_REDIRECTS/.test(v.error);

/** What went wrong with a fresh sign-in, or null when it reached the dashboard and showed the organization. */
export function signInFault(v: ConsoleVisit, organization: string, heading: string): string | null {
  if (v.stage === 'start') {
    if (v.error) return `the console did not lead to the login page (${shortError(v.error)}; at ${v.url})`;
    return `the console did not lead to the login page (at ${v.url})`;
  }
  if (v.stage === 'login-form') return `could not fill the login form: ${v.error ?? 'unknown error'}`;
  if (v.stage === 'submit') {
    if (looped(v)) return 'sign-in looped back to the login page (ERR_TOO_MANY_REDIRECTS)';
    if (v.loginError !== null) return `the login page refused the admin user: ${v.loginError}`;
    return `sign-in did not land on the dashboard (${v.error ? `${shortError(v.error)}; ` : ''}at ${v.url})`;
  }
  return dashboardFault(v, organization, heading);
}

/** What is wrong with a page that should be the dashboard showing the organization, or null. */
function dashboardFault(v: ConsoleVisit, organization: string, heading: string): string | null {
  if (v.error) return `the dashboard could not be read (${shortError(v.error)})`;
  if (!v.landed) return `ended at ${v.url}, not on the dashboard`;
  if (v.status !== null && (v.status < 200 || v.status >= 300)) return `the dashboard answered ${v.status}`;
  if (v.heading !== heading) return `the dashboard's heading is ${JSON.stringify(v.heading)}, not "${heading}"`;
  if (!v.tenantShown) return `dashboard does not show organization ${organization}`;
  return null;
}

/** What went wrong with the session opened before the upgrade, or null when it opened the dashboard directly. */
export function oldSessionFault(e: ConsoleSignInEvidence, phase: Phase, heading: string): string | null {
  const after = `after the ${phase}`;
  if (!e.oldSession) {
    const opening = e.sessionOpening;
    if (!opening) return `no console session was opened before the upgrade`;
    const why = signInFault(opening, e.organization, heading) ?? 'it was not kept';
    return `no console session could be opened before the upgrade: ${why}`;
  }
  const v = e.oldSession;
  if (v.redirectedTo !== null) {
    const then = looped(v) ? ', then looped (ERR_TOO_MANY_REDIRECTS)' : v.landed ? ', then signed in again' : '';
    return `old session redirected to ${v.redirectedTo} ${after}${then}`;
  }
  if (v.error) return `old session could not open the dashboard ${after} (${shortError(v.error)})`;
  const fault = dashboardFault(v, e.organization, heading);
  return fault === null ? null : `old session ${after}: ${fault}`;
}

/** consoleSignIn's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeConsoleSignIn(e: ConsoleSignInEvidence, phase: Phase): Verdict {
  const heading = e.expectedHeading;
  const faults = [
    signInFault(e.signIn, e.organization, heading),
    e.oldSessionRequired ? oldSessionFault(e, phase, heading) : null,
  ].filter((f): f is string => f !== null);
  const untested = e.profileTested ? '' : ` (profile ${e.profile} is untested)`;
  if (faults.length > 0) return fail(`${faults.join('; ')}${untested}`, { ...e });
  const old = e.oldSessionRequired ? ' and the session opened before the upgrade still opens it' : '';
  return pass(`signed in as admin, the dashboard shows ${e.organization}${old}${untested}`, { ...e });
}
