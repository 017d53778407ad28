import { defineCheck } from '../check.ts';
import { gatherReleasePinned } from './gather.ts';
import { judgeReleasePinned } from './judge.ts';

export const releasePinned = defineCheck({
  id: 'release-pinned',
  description: "every running component's version and digest equal the release manifest's",
  phases: ['install', 'upgrade', 'rollback'],
  needs: ['replica-identity'],
  gather: gatherReleasePinned,
  judge: judgeReleasePinned,
});
