import type { Dispatcher, Pool } from 'undici';
import { costMicroUsd } from '../common/prices.ts';
import { classifyError, type Judgement } from './classify.ts';
import { localPortOf } from './connection-port.ts';
import type { PreparedConsumer } from './consumers.ts';
import { plainUsageFast, streamUsageFast } from './fast-body.ts';
import type { Ledger } from './ledger.ts';
import type { RateMeter } from './rate-meter.ts';
import { judgeAnswer } from './response-judge.ts';
import type { RequestKind } from './types.ts';

/** What every request of one load shares. */
export interface ExchangeContext {
  ledger: Ledger;
  /** Keep-alive connections (and streams). */
  pool: Pool;
  /** Fresh connections: every request on it carries `connection: close`, so each one opens its own socket. */
  fresh: Pool;
  /** Counts the requests that went out. */
  meter: RateMeter;
  /** Called once per request, after its row is in the ledger. */
  done: (exchange: Exchange) => void;
  /** The last (version, replica) seen and its ledger id: answers mostly come from a few servers. */
  server: { version: string; replica: string; id: number };
  /** The replica a connection from a local port was bound to (where the target knows it). */
  attribute?: ((localPort: number) => string | undefined) | undefined;
}

const kindIds: Record<RequestKind, number> = { 'keep-alive': 0, 'fresh-connection': 1, stream: 2 };

function serverId(ctx: ExchangeContext, version: string, replica: string): number {
  const s = ctx.server;
  if (s.version !== version || s.replica !== replica) {
    s.id = ctx.ledger.servers.id(version, replica);
    s.version = version;
    s.replica = replica;
  }
  return s.id;
}

const versionHeader = 'x-gateway-version';
const replicaHeader = 'x-served-by';

/**
 * One request through undici's `dispatch` (the layer under `request()`): its handler keeps only what
 * the ledger needs. `onConnect` runs when undici writes the request to a connection, so `start` is the
 * actual send time even when the request waited in the pool for a free connection; `intended` is the
 * rate clock's time for it, and the user's latency counts from there.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly #ctx: ExchangeContext;
  readonly #c: PreparedConsumer;
  readonly #kind: RequestKind;
  readonly intended: number;
  /** When it was handed to undici; the per-request deadline counts from here. */
  readonly handedAt: number;
  #start = 0;
  #status = 0;
  #version = '';
  #replica = '';
  #chunks: Buffer[] = [];
  #abort: ((err?: Error) => void) | null = null;
  #expired: Error | null = null;
  #finished = false;

  constructor(ctx: ExchangeContext, c: PreparedConsumer, kind: RequestKind, intended: number, now: number) {
    this.#ctx = ctx;
    this.#c = c;
    this.#kind = kind;
    this.intended = intended;
    this.handedAt = now;
    // A fresh connection's request starts with its connect; a pooled one when a connection takes it.
    if (kind === 'fresh-connection') this.#start = now;
  }

  send(): void {
    const c = this.#c;
    const [dispatcher, opts] =
      this.#kind === 'fresh-connection'
        ? [this.#ctx.fresh, c.dispatch.fresh]
        : [this.#ctx.pool, this.#kind === 'stream' ? c.dispatch.stream : c.dispatch.plain];
    dispatcher.dispatch(opts, this);
  }

  /** Ends the request as a timeout (`error`): aborts it when on the wire, records it at once otherwise. */
  expire(error: Error): void {
    if (this.#finished) return;
    this.#expired = error;
    if (this.#abort) this.#abort(error);
    else this.#finish({ judgement: classifyError(error, this.#kind, false) }, this.#ctx.ledger.clock());
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.#expired) {
      abort(this.#expired);
      return;
    }
    if (this.#start === 0) this.#start = this.#ctx.ledger.clock();
    this.#ctx.meter.sent();
    this.#abort = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.#status = statusCode;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!;
      if (name.length === versionHeader.length && name.toString('latin1').toLowerCase() === versionHeader) {
        this.#version = headers[i + 1]!.toString('latin1');
      } else if (name.length === replicaHeader.length && name.toString('latin1').toLowerCase() === replicaHeader) {
        this.#replica = headers[i + 1]!.toString('latin1');
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    if (this.#status === 200 && this.#c.expect === 200 && this.#servedFast(body)) return;
    this.#finish(judgeAnswer(this.#kind, this.#status, this.#c.expect, body.toString()), this.#ctx.ledger.clock());
  }

  /** The common case, a complete 200 with usage: one row of ids and numbers, no strings, no objects. */
  #servedFast(body: Buffer): boolean {
    const usage = this.#kind === 'stream' ? streamUsageFast(body) : plainUsageFast(body);
    if (!usage) return false;
    this.#finished = true;
    const ctx = this.#ctx;
    const c = this.#c;
    const { promptTokens: p, completionTokens: q } = usage;
    const id = serverId(ctx, this.#version, this.#replica);
    const end = ctx.ledger.clock();
    const start = this.#start || this.handedAt;
    ctx.ledger.appendServed(
      this.intended,
      start,
      end,
      c.consumerId,
      kindIds[this.#kind],
      200,
      id,
      p,
      q,
      costMicroUsd(c.price, p, q),
    );
    this.#chunks = [];
    ctx.done(this);
    return true;
  }

  onError(err: Error): void {
    if (this.#finished) return;
    const afterHeaders = this.#status !== 0;
    const judgement = classifyError(this.#expired ?? err, this.#kind, afterHeaders);
    // a connection-level failure names the replica its connection was bound to, where the target knows it
    const port = this.#replica || !this.#ctx.attribute ? undefined : localPortOf(err);
    if (port !== undefined) this.#replica = this.#ctx.attribute?.(port) ?? '';
    this.#finish({ judgement }, this.#ctx.ledger.clock());
  }

  #finish(a: { judgement: Judgement; usage?: { promptTokens: number; completionTokens: number } | null }, end: number) {
    if (this.#finished) return;
    this.#finished = true;
    const j = a.judgement;
    const usage = a.usage ?? null;
    const served = j.outcome === 'served';
    this.#ctx.ledger.append({
      intended: this.intended,
      start: this.#start || this.handedAt,
      end,
      consumer: this.#c.consumer,
      kind: this.#kind,
      status: this.#status,
      version: this.#version,
      replica: this.#replica,
      promptTokens: usage?.promptTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      costMicroUsd: served && usage ? costMicroUsd(this.#c.price, usage.promptTokens, usage.completionTokens) : 0,
      outcome: j.outcome,
      failureClass: j.failureClass,
      error: j.error,
    });
    this.#chunks = [];
    this.#ctx.done(this);
  }
}
