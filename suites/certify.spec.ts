/**
 * One certification run (DESIGN.md "One certification run"): install N, seed, hand-edit, back up, upgrade
 * to N+1 under load, roll back, and prove every check of each phase. `upcert certify` runs this file. A path
 * (`--through`) certifies each hop in one platform's life: a later hop takes over what the previous one
 * upgraded, and only the last hop rolls back.
 */
import { afterAll, describe, inject } from 'vitest';
import { backUpDatabase } from '../src/journey/backup.ts';
import { openCertifications } from '../src/journey/certification.ts';
import { editChartOwnedSetting } from '../src/journey/hand-edit.ts';
import { installFrom } from '../src/journey/install.ts';
import { rollBack } from '../src/journey/rollback.ts';
import { seedAndSnapshot } from '../src/journey/seed-step.ts';
import { openConsoleSession } from '../src/journey/sign-in.ts';
import { takeOver } from '../src/journey/take-over.ts';
import { upgradeUnderLoad } from '../src/journey/upgrade.ts';

for (const certification of openCertifications(inject('upcert'))) {
  describe.sequential(certification.title, () => {
    afterAll(() => certification.finish(), certification.finishTimeoutMs);

    describe('install N and seed it', () => {
      if (certification.takesOver) {
        certification.step('take over N and its tenants from the previous hop', takeOver);
      } else {
        certification.step('prepare the target and install N', installFrom);
        certification.step('seed the tenants N knows, snapshot them', seedAndSnapshot);
      }
      certification.checks('install');
    });

    describe('prepare the upgrade', () => {
      certification.step('hand-edit a chart-owned setting', editChartOwnedSetting);
      certification.step('back up PostgreSQL', backUpDatabase);
      certification.step('sign in to the console, keep the session', openConsoleSession);
    });

    describe('upgrade to N+1 under load', () => {
      certification.step('upgrade under load, settle, stop the load', upgradeUnderLoad, { halts: false });
      certification.checks('upgrade');
    });

    describe('roll back to N', () => {
      certification.step('roll back (under load, or stop, roll back and restore)', rollBack, { halts: false });
      certification.checks('rollback');
    });
  });
}
