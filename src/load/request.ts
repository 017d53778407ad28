import { Client, type Dispatcher } from 'undici';
import { classifyError, DeadlineExceededError, incomplete, type Judgement, judgeStatus } from './classify.ts';
import { costOf, type PreparedConsumer } from './consumers.ts';
import type { Ledger } from './ledger.ts';
import { errorDetail, parseSse, plainUsage } from './response-body.ts';
import type { RequestKind } from './types.ts';

/** What every request of one load shares. */
export interface RequestContext {
  ledger: Ledger;
  /** Keep-alive connections (and streams). */
  pool: Dispatcher;
  origin: string;
  path: string;
  timeoutMs: number;
  /** Controllers of the requests in flight, so that a stop deadline can abort them. */
  inFlight: Set<AbortController>;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

interface Answer {
  status: number;
  version: string;
  replica: string;
  judgement: Judgement;
  promptTokens: number;
  completionTokens: number;
}

async function exchange(
  dispatcher: Dispatcher,
  ctx: RequestContext,
  c: PreparedConsumer,
  kind: RequestKind,
  signal: AbortSignal,
): Promise<Answer> {
  const answer: Answer = {
    status: 0,
    version: '',
    replica: '',
    judgement: judgeStatus(0, c.expect),
    promptTokens: 0,
    completionTokens: 0,
  };
  let afterHeaders = false;
  try {
    const res = await dispatcher.request({
      origin: ctx.origin,
      path: ctx.path,
      method: 'POST',
      headers: kind === 'fresh-connection' ? c.closeHeaders : c.headers,
      body: kind === 'stream' ? c.streamBody : c.plainBody,
      signal,
    });
    afterHeaders = true;
    answer.status = res.statusCode;
    answer.version = header(res.headers, 'x-gateway-version');
    answer.replica = header(res.headers, 'x-served-by');
    const text = await res.body.text();
    answer.judgement = judgeStatus(res.statusCode, c.expect, res.statusCode === c.expect ? '' : errorDetail(text));
    if (answer.judgement.outcome !== 'served') return answer;
    const usage = kind === 'stream' ? parseSse(text) : { done: true, usage: plainUsage(text) };
    if (!usage.done) answer.judgement = incomplete(kind, 'stream ended without data: [DONE]');
    else if (!usage.usage)
      answer.judgement = incomplete(kind, `${kind === 'stream' ? 'stream' : 'response'} without usage`);
    else {
      answer.promptTokens = usage.usage.promptTokens;
      answer.completionTokens = usage.usage.completionTokens;
    }
  } catch (error) {
    answer.judgement = classifyError(signal.aborted ? signal.reason : error, kind, afterHeaders);
  }
  return answer;
}

/** Makes one request of `kind` for consumer `c`, writes its row into the ledger; never rejects. */
export async function runRequest(ctx: RequestContext, c: PreparedConsumer, kind: RequestKind): Promise<void> {
  const controller = new AbortController();
  ctx.inFlight.add(controller);
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError('request', ctx.timeoutMs)), ctx.timeoutMs);
  const start = ctx.ledger.clock();
  const fresh = kind === 'fresh-connection' ? new Client(ctx.origin, { connectTimeout: ctx.timeoutMs }) : null;
  const a = await exchange(fresh ?? ctx.pool, ctx, c, kind, controller.signal);
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
    promptTokens: a.promptTokens,
    completionTokens: a.completionTokens,
    costMicroUsd: served ? costOf(c.price, a.promptTokens, a.completionTokens) : 0,
    outcome: a.judgement.outcome,
    failureClass: a.judgement.failureClass,
    error: a.judgement.error,
  });
  if (fresh) await fresh.destroy().catch(() => {});
  ctx.inFlight.delete(controller);
}
