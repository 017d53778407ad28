import { createLogger } from '../report/logger.ts';
import { classifyError, type DeadlineExceededError, incomplete, type Judgement, judgeStatus } from './classify.ts';
import { type Carried, Connection } from './connection.ts';
import type { ConnectionPool } from './connection-pool.ts';
import { costOf, type PreparedConsumer } from './consumers.ts';
import type { Deadlined, InFlight } from './deadline.ts';
import type { ResponseHead } from './http1-types.ts';
import type { Ledger } from './ledger.ts';
import { errorDetail, parseSse, plainUsage, type Usage } from './response-body.ts';
import type { Target } from './target.ts';
import type { RequestKind } from './types.ts';

/** What every request of one load shares. */
export interface RequestContext {
  ledger: Ledger;
  /** Keep-alive connections (also for streams). */
  pool: ConnectionPool;
  /** For fresh connections. */
  target: Target;
  /** The requests in flight, with their shared deadline timer. */
  inFlight: InFlight;
  /** Called once per request, after its row is in the ledger. */
  finished: () => void;
}

const log = createLogger('load');
const served: Judgement = { outcome: 'served', failureClass: null, error: '' };

/**
 * One request: sent on a pooled connection (a fresh one for `fresh-connection`), judged from its
 * response or its failure, written as one ledger row. Callbacks rather than promises: at thousands of
 * requests per second, a promise chain per request is a large share of the generator's CPU.
 */
class Exchange implements Carried, Deadlined {
  readonly request: Buffer;
  connection: Connection | null = null;
  deadline = 0;
  prev: Deadlined | null = null;
  next: Deadlined | null = null;
  readonly #ctx: RequestContext;
  readonly #c: PreparedConsumer;
  readonly #kind: RequestKind;
  readonly #start: number;
  #head: ResponseHead | null = null;
  /** The body, kept only when it is to be read (a 200 for usage, an unexpected status for its error). */
  #body: Buffer[] | null = null;
  #usage: Usage | null = null;
  #recorded = false;

  constructor(ctx: RequestContext, c: PreparedConsumer, kind: RequestKind) {
    this.#ctx = ctx;
    this.#c = c;
    this.#kind = kind;
    this.request = kind === 'stream' ? c.streamRequest : kind === 'fresh-connection' ? c.freshRequest : c.request;
    this.#start = ctx.ledger.clock();
  }

  start(): void {
    this.#ctx.inFlight.add(this, this.#start);
    try {
      if (this.#kind === 'fresh-connection') new Connection(this.#ctx.target, null).send(this);
      else this.#ctx.pool.dispatch(this);
    } catch (error) {
      // Later, not now: failing inside start() would re-enter the generator's issuing loop, request
      // after request, on one stack.
      setImmediate(() => this.onError(error));
    }
  }

  onHead(head: ResponseHead): void {
    this.#head = head;
    if (head.status === 200 || head.status !== this.#c.expect) this.#body = [];
  }

  onBody(chunk: Buffer): void {
    this.#body?.push(Buffer.from(chunk)); // a copy: the connection reuses its read buffer
  }

  onComplete(): void {
    const judgement = this.#judge();
    this.#record(judgement, judgement.outcome === 'served' ? this.#usage : null);
  }

  /** The verdict on a complete response; a served one leaves its usage in `#usage`. */
  #judge(): Judgement {
    const status = this.#head!.status;
    const body = this.#body === null ? null : this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body);
    const expected = status === this.#c.expect;
    const judgement = judgeStatus(status, this.#c.expect, expected || !body ? '' : errorDetail(body.toString()));
    if (judgement.outcome !== 'served' || !body) return judgement;
    if (this.#kind !== 'stream') {
      this.#usage = plainUsage(body);
      return this.#usage ? served : incomplete(this.#kind, 'response without usage');
    }
    const sse = parseSse(body.toString());
    if (!sse.done) return incomplete(this.#kind, 'stream ended without data: [DONE]');
    if (!sse.usage) return incomplete(this.#kind, 'stream without a usage chunk');
    this.#usage = sse.usage;
    return served;
  }

  onError(error: unknown): void {
    this.#record(classifyError(error, this.#kind, this.#head !== null), null);
  }

  expire(reason: DeadlineExceededError): void {
    if (this.connection) this.connection.abandon();
    else this.#ctx.pool.unqueue(this);
    this.onError(reason);
  }

  #record(j: Judgement, usage: Usage | null): void {
    if (this.#recorded) return;
    this.#recorded = true;
    const ctx = this.#ctx;
    ctx.inFlight.delete(this);
    try {
      this.#append(j, usage);
    } catch (error) {
      // Reached from a socket callback: a throw here would end the process. Say so, lose one row.
      log.error('load: a request could not be written to the ledger', { error: String(error) });
    }
    ctx.finished();
  }

  #append(j: Judgement, usage: Usage | null): void {
    const ctx = this.#ctx;
    const head = this.#head;
    const cost =
      j.outcome === 'served' && usage ? costOf(this.#c.price, usage.promptTokens, usage.completionTokens) : 0;
    ctx.ledger.append({
      start: this.#start,
      end: ctx.ledger.clock(),
      consumer: this.#c.consumer,
      kind: this.#kind,
      status: head?.status ?? 0,
      version: head?.version ?? '',
      replica: head?.replica ?? '',
      promptTokens: usage?.promptTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      costMicroUsd: cost,
      outcome: j.outcome,
      failureClass: j.failureClass,
      error: j.error,
    });
  }
}

/** Makes one request of `kind` for consumer `c`; its row goes into the ledger, then `ctx.finished()` runs. */
export function startRequest(ctx: RequestContext, c: PreparedConsumer, kind: RequestKind): void {
  new Exchange(ctx, c, kind).start();
}
