import type { Socket } from 'node:net';
import { ResponseParser } from './http1-response.ts';
import type { ResponseHead, ResponseSink } from './http1-types.ts';
import { openSocket, type Target } from './target.ts';

/** A request as a connection carries it: the pre-built bytes to send, and who hears the response. */
export interface Carried {
  readonly request: Buffer;
  /** The connection carrying it now; set by `Connection.send`, cleared when the response ends. */
  connection: Connection | null;
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
  onError(error: unknown): void;
}

/** The pool a keep-alive connection belongs to. */
export interface ConnectionOwner {
  /** The response is complete and the connection may carry another request. */
  release(c: Connection): void;
  /** The connection is closed, or closing, and must not be used again. Called once. */
  gone(c: Connection): void;
}

/** The server closed the connection before the response was complete. */
export class ConnectionClosedError extends Error {
  readonly code = 'UPCERT_CLOSED';
  constructor() {
    super('the server closed the connection before a complete response');
  }
}

/** How long an idle connection is reused (as undici does): the server's advertised timeout less a margin. */
const keepAliveMargin = 2_000;
const keepAliveDefault = 4_000;

/**
 * One HTTP/1.1 connection of the load generator, carrying one request at a time. Without an owner it
 * is a fresh connection for one request, closed after it.
 */
export class Connection implements ResponseSink {
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner | null;
  readonly #parser = new ResponseParser(this);
  #current: Carried | null = null;
  #head: ResponseHead | null = null;
  #complete = false;
  #error: unknown = null;
  #ended = false;
  /** `performance.now()` until which, idle, it may carry another request. */
  idleUntil = 0;

  constructor(target: Target, owner: ConnectionOwner | null) {
    this.#owner = owner;
    this.#socket = openSocket(target, this.#onData);
    this.#socket.on('error', (error) => {
      this.#error ??= error;
    });
    this.#socket.on('end', () => {
      if (this.#current === null) this.#end(); // the server let an idle connection go
    });
    this.#socket.on('close', this.#onClose);
  }

  /** Still usable for another request. */
  get usable(): boolean {
    return !this.#ended && this.#current === null;
  }

  send(x: Carried): void {
    this.#current = x;
    this.#head = null;
    this.#complete = false;
    this.#parser.reset();
    x.connection = this;
    this.#socket.write(x.request);
  }

  /** Drops the request it carries (which has failed for its own reason) and closes. */
  abandon(): void {
    if (this.#current) this.#current.connection = null;
    this.#current = null;
    this.#end();
  }

  onHead(head: ResponseHead): void {
    this.#head = head;
    this.#current?.onHead(head);
  }

  onBody(chunk: Buffer): void {
    this.#current?.onBody(chunk);
  }

  onComplete(): void {
    this.#complete = true;
  }

  readonly #onData = (data: Buffer): void => {
    if (this.#current === null) {
      this.#end(); // bytes nobody asked for: the connection is not sound
      return;
    }
    let extra: number;
    try {
      extra = this.#parser.feed(data);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#complete) this.#finish(extra === 0);
  };

  readonly #onClose = (): void => {
    if (this.#current !== null) this.#parser.closed(); // completes a body that runs until the close
    if (this.#complete && this.#current !== null) this.#finish(false);
    else this.#fail(this.#error ?? new ConnectionClosedError());
  };

  /** The response is complete: release the connection (or close it), then hand over the response. */
  #finish(noExtraBytes: boolean): void {
    const x = this.#current!;
    this.#current = null;
    x.connection = null;
    const head = this.#head!;
    const keepMs = head.keepAliveMs === null ? keepAliveDefault : Math.min(head.keepAliveMs, 600_000) - keepAliveMargin;
    if (this.#owner && !this.#ended && noExtraBytes && head.keepAlive && keepMs > 0) {
      this.idleUntil = performance.now() + keepMs;
      this.#owner.release(this);
    } else this.#end();
    x.onComplete();
  }

  #fail(error: unknown): void {
    const x = this.#current;
    this.#current = null;
    this.#end();
    if (x) {
      x.connection = null;
      x.onError(error);
    }
  }

  /** Closes the socket; the owner hears of it once. */
  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#socket.destroy();
    this.#owner?.gone(this);
  }
}
