import type { FailureClass, Outcome, RequestKind } from './types.ts';

/** Raised (as an abort reason) when a request outlives its per-request timeout or the stop deadline. */
export class DeadlineExceededError extends Error {
  readonly code = 'UPCERT_DEADLINE';
  constructor(what: string, ms: number) {
    super(`${what}: no complete response within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

export interface Judgement {
  outcome: Outcome;
  failureClass: FailureClass | null;
  error: string;
}

const byCode: Record<string, FailureClass> = {
  ECONNREFUSED: 'connect-refused',
  EHOSTUNREACH: 'connect-refused',
  ENETUNREACH: 'connect-refused',
  EADDRNOTAVAIL: 'connect-refused',
  ENOTFOUND: 'connect-refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'closed',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'closed',
  UND_ERR_CLOSED: 'closed',
  UND_ERR_DESTROYED: 'closed',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  UPCERT_DEADLINE: 'timeout',
};

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in byCode) return code;
    if ((e as { name?: unknown }).name === 'TimeoutError') return 'UND_ERR_HEADERS_TIMEOUT';
  }
  return undefined;
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const text = typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * The failure class of a transport error. `afterHeaders` says the response had begun: a stream cut
 * after its headers is `stream-truncated` (unless it ran out of time); any other error whose code is
 * not known is recorded as `closed` (the connection ended without a complete answer), message kept.
 */
export function classifyError(error: unknown, kind: RequestKind, afterHeaders: boolean): Judgement {
  const code = codeOf(error);
  const known = code === undefined ? 'closed' : byCode[code]!;
  const failureClass = kind === 'stream' && afterHeaders && known !== 'timeout' ? 'stream-truncated' : known;
  return { outcome: 'failed', failureClass, error: describe(error) };
}

/** The verdict on an HTTP status, given the status this consumer was meant to get. */
export function judgeStatus(status: number, expected: number, detail = ''): Judgement {
  if (status === expected) {
    return { outcome: expected === 200 ? 'served' : 'refused-as-expected', failureClass: null, error: '' };
  }
  const suffix = detail ? `: ${detail.slice(0, 160)}` : '';
  return {
    outcome: 'failed',
    failureClass: status >= 500 ? 'http-5xx' : 'unexpected-status',
    error: `HTTP ${status} (expected ${expected})${suffix}`,
  };
}

/** A 200 whose body is not a complete answer: a stream without `[DONE]` or usage, a reply without usage. */
export function incomplete(kind: RequestKind, what: string): Judgement {
  return { outcome: 'failed', failureClass: kind === 'stream' ? 'stream-truncated' : 'unexpected-status', error: what };
}
