import { describe, expect, test } from 'vitest';
import type { ConsoleSignInEvidence, ConsoleVisit } from '../../src/browser/evidence.ts';
import { consoleSignIn } from '../../src/checks/console-sign-in/check.ts';

// The judge of console-sign-in passes on sound evidence and fails, naming what happened, when the
// evidence carries exactly the fault the check exists to find.

function dashboard(over: Partial<ConsoleVisit> = {}): ConsoleVisit {
  return {
    stage: 'done',
    landed: true,
    status: 200,
    url: 'http://127.0.0.1:4000/',
    navigations: ['/'],
    redirectedTo: null,
    heading: 'Dashboard',
    tenantShown: true,
    version: 'upcert reference console v1.8.0',
    loginError: null,
    error: null,
    durationMs: 120,
    screenshot: 'screenshots/console-upgrade-old-session.png',
    ...over,
  };
}

const signedIn = (over: Partial<ConsoleVisit> = {}) =>
  dashboard({
    navigations: ['/', '/login', 'http://127.0.0.1:4001/auth', 'http://127.0.0.1:4001/interaction/x'],
    ...over,
  });

function evidence(over: Partial<ConsoleSignInEvidence> = {}): ConsoleSignInEvidence {
  return {
    profile: 'reference',
    profileTested: true,
    console: 'http://127.0.0.1:4000',
    expectedHeading: 'Dashboard',
    organization: 'acme',
    signIn: signedIn(),
    oldSessionRequired: true,
    sessionOpening: signedIn(),
    oldSession: dashboard(),
    screenshots: ['screenshots/console-upgrade-sign-in.png', 'screenshots/console-upgrade-old-session.png'],
    ...over,
  };
}

const judge = (e: ConsoleSignInEvidence, phase: 'install' | 'upgrade' | 'rollback' = 'upgrade') =>
  consoleSignIn.judge(e, phase);

describe('console-sign-in judge', () => {
  test('passes when a fresh sign-in shows the organization and the old session opens the dashboard directly', () => {
    const verdict = judge(evidence());
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      'signed in as admin, the dashboard shows acme and the session opened before the upgrade still opens it',
    );
    expect(verdict.evidence.screenshots).toHaveLength(2);
  });

  test('at install, only the fresh sign-in counts', () => {
    const verdict = judge(evidence({ oldSessionRequired: false, sessionOpening: null, oldSession: null }), 'install');
    expect(verdict).toMatchObject({ passed: true, summary: 'signed in as admin, the dashboard shows acme' });
  });

  test('fails when sign-in loops back to the login page', () => {
    const loop = signedIn({ stage: 'submit', landed: false, error: 'net::ERR_TOO_MANY_REDIRECTS', heading: null });
    const verdict = judge(evidence({ signIn: loop }));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('sign-in looped back to the login page (ERR_TOO_MANY_REDIRECTS)');
  });

  test('fails when the dashboard does not show the seeded organization', () => {
    const verdict = judge(evidence({ signIn: signedIn({ tenantShown: false }) }));
    expect(verdict).toMatchObject({ passed: false, summary: 'dashboard does not show organization acme' });
  });

  test('fails when the landing page is not the dashboard, or answers an error', () => {
    expect(judge(evidence({ signIn: signedIn({ heading: 'Error' }) })).summary).toBe(
      `the dashboard's heading is "Error", not "Dashboard"`,
    );
    expect(judge(evidence({ signIn: signedIn({ status: 503 }) })).summary).toBe('the dashboard answered 503');
  });

  test('fails when the console does not lead to the login page, or the login page refuses the admin', () => {
    const start = signedIn({ stage: 'start', landed: false, url: 'http://127.0.0.1:4000/', error: 'Timeout 30000ms' });
    expect(judge(evidence({ signIn: start })).summary).toBe(
      'the console did not lead to the login page (Timeout 30000ms; at http://127.0.0.1:4000/)',
    );
    const refused = signedIn({ stage: 'submit', landed: false, loginError: 'Invalid username or password.' });
    expect(judge(evidence({ signIn: refused })).summary).toBe(
      'the login page refused the admin user: Invalid username or password.',
    );
  });

  test('fails when the old session is redirected to /login, even if identity signs it in again', () => {
    const again = dashboard({ redirectedTo: '/login', navigations: ['/', '/login', 'http://127.0.0.1:4001/auth'] });
    const verdict = judge(evidence({ oldSession: again }));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('old session redirected to /login after the upgrade, then signed in again');
  });

  test('fails when the old session loops after the rollback, naming the phase', () => {
    const loop = dashboard({
      stage: 'landing',
      landed: false,
      redirectedTo: '/login',
      error: 'net::ERR_TOO_MANY_REDIRECTS',
    });
    expect(judge(evidence({ oldSession: loop }), 'rollback').summary).toBe(
      'old session redirected to /login after the rollback, then looped (ERR_TOO_MANY_REDIRECTS)',
    );
  });

  test('fails when the old session gets an error page without a redirect', () => {
    const down = dashboard({ status: 503, heading: 'Service unavailable', tenantShown: false });
    expect(judge(evidence({ oldSession: down })).summary).toBe(
      'old session after the upgrade: the dashboard answered 503',
    );
  });

  test('fails when no session was opened before the upgrade, saying why', () => {
    expect(judge(evidence({ sessionOpening: null, oldSession: null })).summary).toBe(
      'no console session was opened before the upgrade',
    );
    const refused = signedIn({ stage: 'submit', landed: false, loginError: 'Invalid username or password.' });
    expect(judge(evidence({ sessionOpening: refused, oldSession: null })).summary).toBe(
      'no console session could be opened before the upgrade: the login page refused the admin user: Invalid username or password.',
    );
  });

  test('reports both faults together, and says when the profile is untested', () => {
    const verdict = judge(
      evidence({
        profile: 'keycloak',
        profileTested: false,
        signIn: signedIn({ tenantShown: false }),
        oldSession: dashboard({ redirectedTo: '/login' }),
      }),
    );
    expect(verdict.summary).toBe(
      'dashboard does not show organization acme; old session redirected to /login after the upgrade, then signed in again (profile keycloak is untested)',
    );
  });
});
