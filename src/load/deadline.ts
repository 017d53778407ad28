import { DeadlineExceededError } from './classify.ts';

/** A request in flight, as the deadline list links it. */
export interface Deadlined {
  /** Time (on the list's clock) by which it must be complete; set by `InFlight.add`. */
  deadline: number;
  prev: Deadlined | null;
  next: Deadlined | null;
  /** Ends the request as failed with `reason` (it has already been taken off the list). */
  expire(reason: DeadlineExceededError): void;
}

/**
 * The requests in flight, oldest first, with one timer for all their deadlines instead of one timer
 * per request. Every request of a load has the same timeout, so start order is deadline order and the
 * timer only looks at the head of the list. An intrusive doubly linked list makes adding and removing
 * O(1) without allocating. The timer is unref'd: the requests' sockets keep the process alive.
 */
export class InFlight {
  readonly #timeoutMs: number;
  readonly #clock: () => number;
  #head: Deadlined | null = null;
  #tail: Deadlined | null = null;
  #size = 0;
  #timer: NodeJS.Timeout | null = null;

  /** `clock`: ms, the time base of `add`'s `now` (the ledger's clock, read once per request). */
  constructor(timeoutMs: number, clock: () => number) {
    this.#timeoutMs = timeoutMs;
    this.#clock = clock;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds `x`, started at `now`. */
  add(x: Deadlined, now: number): void {
    x.deadline = now + this.#timeoutMs;
    x.prev = this.#tail;
    x.next = null;
    if (this.#tail) this.#tail.next = x;
    else this.#head = x;
    this.#tail = x;
    this.#size++;
    if (this.#timer === null) this.#arm(this.#timeoutMs);
  }

  /** Takes `x` off the list; nothing when it is not on it. */
  delete(x: Deadlined): void {
    if (x.prev === null && this.#head !== x) return;
    if (x.prev) x.prev.next = x.next;
    else this.#head = x.next;
    if (x.next) x.next.prev = x.prev;
    else this.#tail = x.prev;
    x.prev = null;
    x.next = null;
    this.#size--;
  }

  /** Expires every request in flight (the stop deadline). */
  expireAll(reason: DeadlineExceededError): void {
    for (let x = this.#head; x !== null; x = this.#head) {
      this.delete(x);
      x.expire(reason);
    }
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(ms)));
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = null;
    const now = this.#clock();
    for (let x = this.#head; x !== null && x.deadline <= now; x = this.#head) {
      this.delete(x);
      x.expire(new DeadlineExceededError('request', this.#timeoutMs));
    }
    if (this.#head) this.#arm(this.#head.deadline - now);
  };
}
