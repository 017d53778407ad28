import { fail, pass, type Verdict } from '../check.ts';

export interface SmokeEvidence {
  status: number;
  version: string;
  replica: string;
  expectedVersion: string;
  error?: string;
}

/** gatewaySmoke's judge: pure over its evidence (tests break the evidence to show it can fail). */
export function judgeGatewaySmoke(e: SmokeEvidence): Verdict {
  if (e.status !== 200)
    return fail(`gateway answered ${e.status || 'nothing'}${e.error ? ` (${e.error})` : ''}`, { ...e });
  if (e.version !== e.expectedVersion) {
    return fail(`answered by ${e.version || '(no version header)'} (${e.replica}), expected ${e.expectedVersion}`, {
      ...e,
    });
  }
  return pass(`200 from ${e.replica} (${e.version})`, { ...e });
}
