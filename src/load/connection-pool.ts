import { type Carried, Connection, type ConnectionOwner } from './connection.ts';
import type { Target } from './target.ts';

/**
 * Up to `max` keep-alive connections to the target. A request takes the most recently released idle
 * connection (so that a light load keeps few connections warm), else opens one if fewer than `max`
 * exist, else waits its turn. Idle connections past their keep-alive time are closed by a sweep (the
 * gateway leaves idle connections for the client to close when it drains: CONTRACT.md).
 */
export class ConnectionPool implements ConnectionOwner {
  readonly #target: Target;
  readonly #max: number;
  readonly #idle: Connection[] = [];
  readonly #waiting: Carried[] = [];
  #open = 0;
  #closed = false;
  readonly #sweep: NodeJS.Timeout;

  constructor(target: Target, max: number) {
    this.#target = target;
    this.#max = max;
    this.#sweep = setInterval(() => this.#closeExpired(), 500);
    this.#sweep.unref();
  }

  dispatch(x: Carried): void {
    if (this.#closed) throw new Error('load: the connection pool is closed');
    const idle = this.#takeIdle();
    if (idle) idle.send(x);
    else if (this.#open < this.#max) this.#connect().send(x);
    else this.#waiting.push(x);
  }

  /** Takes `x` out of the queue; false when it is not waiting (it is on a connection, or done). */
  unqueue(x: Carried): boolean {
    const i = this.#waiting.indexOf(x);
    if (i >= 0) this.#waiting.splice(i, 1);
    return i >= 0;
  }

  release(c: Connection): void {
    const next = this.#waiting.shift();
    if (next) c.send(next);
    else this.#idle.push(c);
  }

  gone(c: Connection): void {
    this.#open--;
    const i = this.#idle.indexOf(c);
    if (i >= 0) this.#idle.splice(i, 1);
    const next = this.#closed ? undefined : this.#waiting.shift();
    if (next) this.#connect().send(next);
  }

  /** Closes every idle connection and accepts no more requests (the in-flight ones have ended). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const c of this.#idle.splice(0)) c.abandon();
  }

  #connect(): Connection {
    this.#open++;
    return new Connection(this.#target, this);
  }

  #takeIdle(): Connection | undefined {
    const now = performance.now();
    for (let c = this.#idle.pop(); c; c = this.#idle.pop()) {
      if (c.usable && c.idleUntil > now) return c;
      c.abandon();
    }
    return undefined;
  }

  #closeExpired(): void {
    const now = performance.now();
    for (const c of this.#idle.filter((c) => c.idleUntil <= now)) c.abandon();
  }
}
