import { incomplete, type Judgement, judgeStatus } from './classify.ts';
import { errorDetail, parseSse, plainUsage, type Usage } from './response-body.ts';
import type { RequestKind } from './types.ts';

export interface Answer {
  judgement: Judgement;
  usage: Usage | null;
}

const served: Judgement = { outcome: 'served', failureClass: null, error: '' };

/** The verdict on a complete response: its status against the expected one, then (for a 200) its body. */
export function judgeAnswer(kind: RequestKind, status: number, expected: number, text: string): Answer {
  if (status !== expected) return { judgement: judgeStatus(status, expected, errorDetail(text)), usage: null };
  if (status !== 200) return { judgement: judgeStatus(status, expected), usage: null };
  if (kind !== 'stream') {
    const usage = plainUsage(text);
    return usage ? { judgement: served, usage } : { judgement: incomplete(kind, 'response without usage'), usage };
  }
  const sse = parseSse(text);
  if (!sse.done) return { judgement: incomplete(kind, 'stream ended without data: [DONE]'), usage: null };
  if (!sse.usage) return { judgement: incomplete(kind, 'stream without a usage chunk'), usage: null };
  return { judgement: served, usage: sse.usage };
}
