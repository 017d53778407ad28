import type { Dispatcher } from 'undici';
import type { ModelPrices } from '../common/prices.ts';

/** A consumer the load speaks for, and the status it is meant to get (200, or a 403/429 refusal). */
export interface ConsumerSpec {
  /** `organization.project.user`. */
  consumer: string;
  /** Its API key (a secret: registered with the logger's redaction). */
  key: string;
  /** Logical model, e.g. `coding-default`. */
  model: string;
  expect: 200 | 403 | 429;
  /** The user message; a fixed default otherwise. */
  prompt?: string;
  /** Sent as `max_tokens` when given. */
  maxTokens?: number;
  /** Headers besides the key (a platform that routes by header, e.g. Portkey's provider and custom host). */
  headers?: Readonly<Record<string, string>>;
}

/** A consumer with its request bodies and headers built once, so that issuing a request allocates little. */
export interface PreparedConsumer {
  consumer: string;
  /** Its id in the load's ledger (`ledger.consumers`). */
  consumerId: number;
  expect: number;
  price: ModelPrices;
  /** undici dispatch options per kind (bodies encoded once). */
  dispatch: {
    plain: Dispatcher.DispatchOptions;
    stream: Dispatcher.DispatchOptions;
    fresh: Dispatcher.DispatchOptions;
  };
}

export const defaultPrompt = 'Summarize the release notes of the gateway upgrade in one sentence.';

export function prepareConsumer(
  spec: ConsumerSpec,
  prices: Record<string, ModelPrices>,
  target: { origin: string; path: string },
  consumerId: number,
): PreparedConsumer {
  const price = prices[spec.model];
  if (!price) throw new Error(`load: no price for model ${spec.model} (consumer ${spec.consumer})`);
  const base = {
    model: spec.model,
    messages: [{ role: 'user', content: spec.prompt ?? defaultPrompt }],
    ...(spec.maxTokens === undefined ? {} : { max_tokens: spec.maxTokens }),
  };
  const headers = [
    'authorization',
    `Bearer ${spec.key}`,
    'content-type',
    'application/json',
    ...Object.entries(spec.headers ?? {}).flat(),
  ];
  const plainBody = Buffer.from(JSON.stringify(base));
  const options = (body: Buffer, extra: string[] = []): Dispatcher.DispatchOptions => ({
    origin: target.origin,
    path: target.path,
    method: 'POST',
    headers: [...headers, ...extra],
    body,
  });
  return {
    consumer: spec.consumer,
    consumerId,
    expect: spec.expect,
    price,
    dispatch: {
      plain: options(plainBody),
      stream: options(Buffer.from(JSON.stringify({ ...base, stream: true })), ['accept', 'text/event-stream']),
      fresh: options(plainBody, ['connection', 'close']),
    },
  };
}
