import { defineCheck } from '../check.ts';
import { gatherSmoke } from './gather.ts';
import { judgeGatewaySmoke } from './judge.ts';

export const gatewaySmoke = defineCheck({
  id: 'gateway-smoke',
  description: 'a request through the gateway succeeds and is answered by the expected release',
  phases: ['install', 'upgrade', 'rollback'],
  needs: ['version-signal'],
  gather: gatherSmoke,
  judge: judgeGatewaySmoke,
});
