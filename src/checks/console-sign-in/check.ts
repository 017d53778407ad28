import { defineCheck } from '../check.ts';
import { gatherConsoleSignIn } from './gather.ts';
import { judgeConsoleSignIn } from './judge.ts';

/**
 * console-sign-in: a fresh browser signs in through identity and sees the seeded organization on the
 * dashboard; after the upgrade (and rollback) the session opened before the upgrade still opens the
 * dashboard, answered directly (a redirect means the session was refused, even if identity signed it in again).
 */
export const consoleSignIn = defineCheck({
  id: 'console-sign-in',
  description: 'a real browser signs in through identity and sees the seeded tenant; an earlier session still works',
  phases: ['install', 'upgrade', 'rollback'],
  needs: ['console'],
  gather: gatherConsoleSignIn,
  judge: judgeConsoleSignIn,
});
