import { fail, pass, type Verdict } from '../check.ts';

export interface SmokeEvidence {
  status: number;
  version: string;
  replica: string;
  expectedVersion: string;
  error?: string;
  /** `front-door`: the product names no version; the replica and its version are the front door's backend. */
  versionFrom?: 'front-door';
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
  const from = e.versionFrom === 'front-door' ? ", by the front door's backend: the gateway names no version" : '';
  return pass(`200 from ${e.replica} (${e.version}${from})`, { ...e });
}
