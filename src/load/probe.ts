import { Agent, buildConnector, request } from 'undici';
import type { ModelPrices } from '../common/prices.ts';
import { costMicroUsd } from '../common/prices.ts';
import { classifyError, judgeStatus } from '../load/classify.ts';
import type { Ledger } from '../load/ledger.ts';

export interface ProbeConsumer {
  consumer: string;
  key: string;
  model: string;
  prompt: string;
  /** Headers besides the key (a platform that routes by header). */
  headers?: Readonly<Record<string, string>>;
}

export interface ProbeAnswer {
  status: number;
  version: string;
  replica: string;
  /** `x-config-tag`: the gateway's live `responseTag` (the cluster target's hand edit); '' when absent. */
  configTag: string;
  costMicroUsd: number;
  error?: string;
  /** `front-door`: the version and replica are the front door's backend for the connection, not the gateway's word. */
  versionFrom?: 'front-door';
}

/**
 * One request through the gateway outside the load (smoke, hand-edit and preservation probes), on a fresh
 * connection. When it is a chat completion it goes into the ledger like any request, so that the spend it
 * causes is accounted for exactly.
 */
export async function probeGateway(
  gatewayUrl: string,
  who: ProbeConsumer,
  opts: {
    ledger?: Ledger;
    prices: Record<string, ModelPrices>;
    padBytes?: number;
    /** the status this probe is meant to get (how the ledger judges it). */
    expect?: 200 | 403 | 413 | 429;
    path?: '/v1/chat/completions' | '/v1/models';
    timeoutMs: number;
    /**
     * The replica a connection from a local port was bound to, and its version (the local front door's backend):
     * how the answer is attributed when the product sends no `x-gateway-version`/`x-served-by`.
     */
    attribute?: (localPort: number) => { replica: string; version: string } | undefined;
  },
): Promise<ProbeAnswer> {
  const path = opts.path ?? '/v1/chat/completions';
  const padding = opts.padBytes ? ` ${'x'.repeat(opts.padBytes)}` : '';
  const body =
    path === '/v1/models'
      ? undefined
      : JSON.stringify({ model: who.model, messages: [{ role: 'user', content: `${who.prompt}${padding}` }] });
  const start = opts.ledger?.clock() ?? Date.now();
  let answer: ProbeAnswer;
  let caught: unknown;
  let tokens = { prompt: 0, completion: 0 };
  let localPort: number | undefined;
  const connect = buildConnector({});
  // a dispatcher of its own only to learn the connection's local port (the probe's connection is fresh anyway)
  const dispatcher = opts.attribute
    ? new Agent({
        connect: (options, callback) =>
          connect(options, (error, socket) => {
            localPort = socket?.localPort;
            if (error) callback(error, null);
            else callback(null, socket!);
          }),
      })
    : undefined;
  try {
    const res = await request(new URL(path, gatewayUrl), {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: `Bearer ${who.key}`,
        'content-type': 'application/json',
        connection: 'close',
        ...who.headers,
      },
      body,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const text = await res.body.text();
    const header = (name: string) => String(res.headers[name] ?? '');
    let cost = 0;
    if (res.statusCode === 200 && body) {
      const usage = (JSON.parse(text) as { usage?: { prompt_tokens: number; completion_tokens: number } }).usage;
      const price = opts.prices[who.model];
      if (usage && price) {
        tokens = { prompt: usage.prompt_tokens, completion: usage.completion_tokens };
        cost = costMicroUsd(price, usage.prompt_tokens, usage.completion_tokens);
      }
    }
    const backend = localPort === undefined ? undefined : opts.attribute?.(localPort);
    answer = {
      status: res.statusCode,
      version: header('x-gateway-version') || (backend?.version ?? ''),
      replica: header('x-served-by') || (backend?.replica ?? ''),
      configTag: header('x-config-tag'),
      costMicroUsd: cost,
      ...(backend && !res.headers['x-gateway-version'] ? { versionFrom: 'front-door' as const } : {}),
    };
  } catch (error) {
    caught = error;
    answer = { status: 0, version: '', replica: '', configTag: '', costMicroUsd: 0, error: (error as Error).message };
  } finally {
    await dispatcher?.close();
  }
  if (opts.ledger && body) {
    const judged =
      answer.status === 0
        ? classifyError(caught, 'fresh-connection', false)
        : judgeStatus(answer.status, opts.expect ?? 200);
    opts.ledger.append({
      start,
      end: opts.ledger.clock(),
      consumer: who.consumer,
      kind: 'fresh-connection',
      status: answer.status,
      version: answer.version,
      replica: answer.replica,
      promptTokens: tokens.prompt,
      completionTokens: tokens.completion,
      costMicroUsd: judged.outcome === 'served' ? answer.costMicroUsd : 0,
      outcome: judged.outcome,
      failureClass: judged.failureClass,
      error: judged.error,
    });
  }
  return answer;
}
