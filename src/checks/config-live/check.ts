import { defineCheck } from '../check.ts';
import { gatherConfigLive } from './gather.ts';
import { judgeConfigLive } from './judge.ts';

export const configLive = defineCheck({
  id: 'config-live',
  description:
    'after the rollout settles (and once mid-rollout) configuration changed through the platform API is enforced by every gateway replica within the bound, then undone',
  phases: ['upgrade', 'rollback'],
  // it changes tenants through the API and tells replicas apart by `x-served-by`
  needs: ['tenant-api', 'version-signal'],
  gather: gatherConfigLive,
  judge: judgeConfigLive,
});
