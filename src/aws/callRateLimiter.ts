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
 * in order; each {@link acquire} resolves when its call may start, with a `done` callback: called when the
 * response is in, it moves that call's window to start then, so a slot is reused only `windowMs` after the
 * service answered — however late a request arrived, no `perSecond + 1` arrive within one second.
 */
export class CallRateLimiter {
  readonly perSecond: number;
  readonly #windowMs: number;
  readonly #clock: LimiterClock;
  #starts: { at: number }[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  public constructor(perSecond: number, options: { windowMs?: number; clock?: LimiterClock } = {}) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be > 0, got ${perSecond}`);
    this.perSecond = perSecond;
    this.#windowMs = options.windowMs ?? 1050;
    this.#clock = options.clock ?? realClock;
  }

  /**
   * Resolves when the next call may start (and counts it as started) with `done`, to call once the call
   * completed (optional: without it the window runs from the start).
   */
  public acquire(): Promise<() => void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn;
    return turn;
  }

  async #take(): Promise<() => void> {
    for (;;) {
      const now = this.#clock.now();
      this.#starts = this.#starts.filter(({ at }) => at + this.#windowMs > now);
      if (this.#starts.length < Math.floor(this.perSecond)) {
        const slot = { at: now };
        this.#starts.push(slot);
        return () => {
          slot.at = Math.max(slot.at, this.#clock.now());
        };
      }
      const oldest = Math.min(...this.#starts.map(({ at }) => at));
      await this.#clock.sleep(oldest + this.#windowMs - now);
    }
  }
}
