/**
 * A small client of the control plane's configuration API (CONTRACT.md): JSON over HTTP with the admin
 * token, a deadline on every call, and errors that carry the call and the API's answer.
 */
import { StepFailedError } from '../common/errors.ts';
import { redact } from '../common/logger.ts';
import type { ApiWriteGuard } from './api-writes.ts';

export interface ConfigApiOptions {
  /** The control plane's base URL, e.g. `http://127.0.0.1:41001`. */
  url: string;
  adminToken: string;
  /** Deadline of one call (default 10 s). */
  timeoutMs?: number;
  /**
   * The run's plan of writes (a shared platform: the cluster target's). When given, a write it does not allow is
   * refused before it is sent (`UnplannedApiWriteError`); reads are never held; answers teach it the ids the API
   * assigns.
   */
  guard?: ApiWriteGuard;
}

/** A configuration-API write the plan did not list: the run stops before sending it. */
export class UnplannedApiWriteError extends StepFailedError {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(
      `refused: ${method} ${path} writes to the platform's configuration API and is not in the plan (upcert certify --plan lists every write)`,
    );
    this.name = 'UnplannedApiWriteError';
  }
}

export class ConfigApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly answer: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${path} → ${status ?? 'no answer'} ${answer}`.trim(), options);
    this.name = 'ConfigApiError';
  }
}

export interface ConfigApi {
  readonly url: string;
  /** Sends one call; answers the parsed JSON body (undefined for 204); throws ConfigApiError unless 2xx. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export function createConfigApi(options: ConfigApiOptions): ConfigApi {
  redact(options.adminToken);
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    url: base,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      if (options.guard && !options.guard.allows(method, path, body)) throw new UnplannedApiWriteError(method, path);
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.adminToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const reason = (cause as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String(cause);
        throw new ConfigApiError(method, path, undefined, `(${reason}; ${base})`, { cause });
      }
      const text = await response.text();
      if (!response.ok) throw new ConfigApiError(method, path, response.status, text.slice(0, 600));
      if (response.status === 204 || text === '') return undefined as T;
      try {
        const answer = JSON.parse(text) as T;
        options.guard?.learn(method, path, answer);
        return answer;
      } catch (cause) {
        throw new ConfigApiError(method, path, response.status, `not JSON: ${text.slice(0, 200)}`, { cause });
      }
    },
  };
}
