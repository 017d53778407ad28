/**
 * What the browser saw on one visit of the console, and the evidence of `console-sign-in` in one phase.
 * URLs are kept without their query strings (no authorization codes or state in a report).
 */
export type VisitStage = 'start' | 'login-form' | 'submit' | 'landing' | 'done';

export interface ConsoleVisit {
  /** how far the visit got: `done` when the landing page was read. */
  stage: VisitStage;
  /** the visit ended on the profile's landing page (console origin and path). */
  landed: boolean;
  /** HTTP status of the last document the main frame received; null when none came. */
  status: number | null;
  /** where the page ended (origin + path). */
  url: string;
  /** every main-frame request, redirects included, in order (origin + path; console paths as `/x`). */
  navigations: string[];
  /** where the visit's first request was redirected (`/login`); null when it was answered directly. */
  redirectedTo: string | null;
  /** text of the landing page's heading; null when there was none. */
  heading: string | null;
  /** the seeded organization's block was on the landing page. */
  tenantShown: boolean;
  /** text of the console's version element, when the profile names one. */
  version: string | null;
  /** the login page's error text after submitting (wrong password, locked account). */
  loginError: string | null;
  /** what stopped the visit (`net::ERR_TOO_MANY_REDIRECTS`, a timeout), first line; null when nothing did. */
  error: string | null;
  durationMs: number;
  /** screenshot of the page at the end of the visit, relative to the report directory. */
  screenshot: string | null;
}

export interface ConsoleSignInEvidence {
  profile: string;
  /** false: the profile has never run against its product here. */
  profileTested: boolean;
  console: string;
  /** the landing page's heading the profile expects (`Dashboard`). */
  expectedHeading: string;
  /** the seeded organization the dashboard must show. */
  organization: string;
  /** a fresh browser context signing in through identity. */
  signIn: ConsoleVisit;
  /** whether this phase requires the session opened before the upgrade (every phase after install). */
  oldSessionRequired: boolean;
  /** the sign-in that opened the old session before the upgrade; null when none was attempted. */
  sessionOpening: ConsoleVisit | null;
  /** the session opened before the upgrade, visiting the console again; null when it was not revisited. */
  oldSession: ConsoleVisit | null;
  /** every screenshot of this phase, relative to the report directory. */
  screenshots: string[];
}
