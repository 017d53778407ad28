import type { ConsoleSignInEvidence } from '../../browser/evidence.ts';
import type { Phase } from '../../release/manifest.ts';
import type { RunState } from '../run-state.ts';
import { consoleBrowserOf, seededOrganization } from './browser.ts';

/** A fresh sign-in in a real browser, and the session opened before the upgrade (after it). */
export function gatherConsoleSignIn(run: RunState, phase: Phase): Promise<ConsoleSignInEvidence> {
  // Not after a restore: the session is opened after the backup, and restoring the backup puts the database
  // (sessions included) back to before it existed, as the product's upgrade page says a restore does.
  const restored = phase === 'rollback' && run.to.rollback === 'restore-required';
  return consoleBrowserOf(run).check(phase, seededOrganization(run), phase !== 'install' && !restored);
}
