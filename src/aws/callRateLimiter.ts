import { setTimeout } from 'node:timers/promises';

/** Clock of a {@link CallRateLimiter} (a fake one in tests). */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = { now: Date.now, sleep: (ms) => setTimeout(ms) };

/**
 * At most `perSecond` calls start within any window of `windowMs` (default 1050 ms: one second plus a margin
 * for network jitter, so the service never sees more than `perSecond` arrive in one second). Callers queue
 * in order; each {@link acquire} resolves when its call may start.
 */
export class CallRateLimiter {
  readonly perSecond: number;
  readonly #windowMs: number;
  readonly #clock: LimiterClock;
  readonly #starts: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  public constructor(perSecond: number, options: { windowMs?: number; clock?: LimiterClock } = {}) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be > 0, got ${perSecond}`);
    this.perSecond = perSecond;
    this.#windowMs = options.windowMs ?? 1050;
    this.#clock = options.clock ?? realClock;
  }

  /** Resolves when the next call may start (and counts it as started). */
  public acquire(): Promise<void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn;
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      while (this.#starts.length > 0 && (this.#starts[0] as number) + this.#windowMs <= now) this.#starts.shift();
      if (this.#starts.length < Math.floor(this.perSecond)) {
        this.#starts.push(now);
        return;
      }
      await this.#clock.sleep((this.#starts[0] as number) + this.#windowMs - now);
    }
  }
}
