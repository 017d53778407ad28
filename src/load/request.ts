import { Client, type Dispatcher } from 'undici';
import { classifyError, DeadlineExceededError, incomplete, type Judgement, judgeStatus } from './classify.ts';
import { costOf, type PreparedConsumer } from './consumers.ts';
import { RequestDeadline } from './deadline.ts';
import type { Ledger } from './ledger.ts';
import { errorDetail, parseSse, plainUsage, type Usage } from './response-body.ts';
import type { RequestKind } from './types.ts';

/** What every request of one load shares. */
export interface RequestContext {
  ledger: Ledger;
  /** Keep-alive connections (and streams). */
  pool: Dispatcher;
  origin: string;
  path: string;
  timeoutMs: number;
  /** Abort handles of the requests in flight, so that a stop deadline can abort them. */
  inFlight: Set<RequestDeadline>;
}

const notAnswered: Judgement = { outcome: 'failed', failureClass: 'closed', error: 'no answer' };

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

interface Answer {
  status: number;
  version: string;
  replica: string;
  judgement: Judgement;
  usage: Usage | null;
}

/** The verdict on a 200 body: complete (with usage) or not. */
function judgeServedBody(kind: RequestKind, text: string): { judgement: Judgement; usage: Usage | null } {
  const served: Judgement = { outcome: 'served', failureClass: null, error: '' };
  if (kind !== 'stream') {
    const usage = plainUsage(text);
    return usage ? { judgement: served, usage } : { judgement: incomplete(kind, 'response without usage'), usage };
  }
  const sse = parseSse(text);
  if (!sse.done) return { judgement: incomplete(kind, 'stream ended without data: [DONE]'), usage: null };
  if (!sse.usage) return { judgement: incomplete(kind, 'stream without a usage chunk'), usage: null };
  return { judgement: served, usage: sse.usage };
}

async function exchange(
  dispatcher: Dispatcher,
  ctx: RequestContext,
  c: PreparedConsumer,
  kind: RequestKind,
  deadline: RequestDeadline,
): Promise<Answer> {
  const answer: Answer = { status: 0, version: '', replica: '', judgement: notAnswered, usage: null };
  let afterHeaders = false;
  try {
    const res = await dispatcher.request({
      origin: ctx.origin,
      path: ctx.path,
      method: 'POST',
      headers: kind === 'fresh-connection' ? c.closeHeaders : c.headers,
      body: kind === 'stream' ? c.streamBody : c.plainBody,
      signal: deadline,
    });
    afterHeaders = true;
    answer.status = res.statusCode;
    answer.version = header(res.headers, 'x-gateway-version');
    answer.replica = header(res.headers, 'x-served-by');
    const text = await res.body.text();
    answer.judgement = judgeStatus(res.statusCode, c.expect, res.statusCode === c.expect ? '' : errorDetail(text));
    if (answer.judgement.outcome === 'served') Object.assign(answer, judgeServedBody(kind, text));
  } catch (error) {
    answer.judgement = classifyError(deadline.aborted ? deadline.reason : error, kind, afterHeaders);
  }
  return answer;
}

/** Makes one request of `kind` for consumer `c`, writes its row into the ledger; never rejects. */
export async function runRequest(ctx: RequestContext, c: PreparedConsumer, kind: RequestKind): Promise<void> {
  const deadline = new RequestDeadline();
  ctx.inFlight.add(deadline);
  const timer = setTimeout(() => deadline.abort(new DeadlineExceededError('request', ctx.timeoutMs)), ctx.timeoutMs);
  const start = ctx.ledger.clock();
  const fresh = kind === 'fresh-connection' ? new Client(ctx.origin, { connectTimeout: ctx.timeoutMs }) : null;
  const a = await exchange(fresh ?? ctx.pool, ctx, c, kind, deadline);
  const end = ctx.ledger.clock();
  clearTimeout(timer);
  const served = a.judgement.outcome === 'served';
  ctx.ledger.append({
    start,
    end,
    consumer: c.consumer,
    kind,
    status: a.status,
    version: a.version,
    replica: a.replica,
    promptTokens: a.usage?.promptTokens ?? 0,
    completionTokens: a.usage?.completionTokens ?? 0,
    costMicroUsd: served && a.usage ? costOf(c.price, a.usage.promptTokens, a.usage.completionTokens) : 0,
    outcome: a.judgement.outcome,
    failureClass: a.judgement.failureClass,
    error: a.judgement.error,
  });
  if (fresh) await fresh.destroy().catch(() => {});
  ctx.inFlight.delete(deadline);
}
