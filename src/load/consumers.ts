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
}

export interface Price {
  inputMicroUsdPerToken: number;
  outputMicroUsdPerToken: number;
}

/** A consumer with its request bodies and headers built once, so that issuing a request allocates little. */
export interface PreparedConsumer {
  consumer: string;
  expect: number;
  price: Price;
  plainBody: string;
  streamBody: string;
  headers: Record<string, string>;
  closeHeaders: Record<string, string>;
}

export const defaultPrompt = 'Summarize the release notes of the gateway upgrade in one sentence.';

export function prepareConsumer(spec: ConsumerSpec, prices: Record<string, Price>): PreparedConsumer {
  const price = prices[spec.model];
  if (!price) throw new Error(`load: no price for model ${spec.model} (consumer ${spec.consumer})`);
  const base = {
    model: spec.model,
    messages: [{ role: 'user', content: spec.prompt ?? defaultPrompt }],
    ...(spec.maxTokens === undefined ? {} : { max_tokens: spec.maxTokens }),
  };
  const headers = { authorization: `Bearer ${spec.key}`, 'content-type': 'application/json' };
  return {
    consumer: spec.consumer,
    expect: spec.expect,
    price,
    plainBody: JSON.stringify(base),
    streamBody: JSON.stringify({ ...base, stream: true }),
    headers,
    closeHeaders: { ...headers, connection: 'close' },
  };
}

/** Integer micro-USD of a response's usage at the route's prices. */
export function costOf(price: Price, promptTokens: number, completionTokens: number): number {
  return promptTokens * price.inputMicroUsdPerToken + completionTokens * price.outputMicroUsdPerToken;
}
