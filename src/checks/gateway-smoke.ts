import { defineCheck, fail, pass } from './check.ts';
import type { CheckRun, SmokeEvidence } from './run.ts';

export const gatewaySmoke = defineCheck<CheckRun, SmokeEvidence>({
  id: 'gateway-smoke',
  description: 'a request through the gateway succeeds and is answered by the expected release',
  phases: ['install', 'upgrade', 'rollback'],
  gather: (run, phase) => run.smoke(phase),
  judge: (e) => {
    if (e.status !== 200)
      return fail(`gateway answered ${e.status || 'nothing'}${e.error ? ` (${e.error})` : ''}`, { ...e });
    if (e.version !== e.expectedVersion) {
      return fail(`answered by ${e.version || '(no version header)'} (${e.replica}), expected ${e.expectedVersion}`, {
        ...e,
      });
    }
    return pass(`200 from ${e.replica} (${e.version})`, { ...e });
  },
});
