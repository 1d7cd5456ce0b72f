import type { CallRateLimiter } from './callRateLimiter';

/** A client whose middleware stack can take the budget (every SDK v3 client). */
interface StackedClient {
  middlewareStack: {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => unknown,
      options: { name: string; relation: 'after'; toMiddleware: string }
    ): void;
  };
}

/**
 * API calls of one account: a rate limiter per operation (e.g. DescribeStreamSummary at 10/s), shared by every
 * region, or one per region for a quota AWS keeps per account and region (e.g. CloudTrail LookupEvents), and a
 * count of every call sent, by operation. Installed after the SDK's retry middleware, so each attempt (a retry
 * too) waits for the budget and is counted.
 */
export class ApiCallBudget {
  readonly #limits: Readonly<Record<string, CallRateLimiter>>;
  readonly #counts: Record<string, number>;
  readonly #perRegion: Readonly<Record<string, () => CallRateLimiter>>;
  readonly #regional = new Map<string, CallRateLimiter>();
  readonly #starts = new Map<string, number[]>();

  /**
   * `counts` may be shared by several budgets (one per account) to total the calls of a run; `perRegion` makes
   * the limiter of an operation for each region a client is installed for.
   */
  public constructor(
    limits: Readonly<Record<string, CallRateLimiter>>,
    counts: Record<string, number> = {},
    perRegion: Readonly<Record<string, () => CallRateLimiter>> = {}
  ) {
    this.#limits = limits;
    this.#counts = counts;
    this.#perRegion = perRegion;
  }

  /** The limiter of `operation` for a client of `region`: the account's, else the region's own, else none. */
  #limiterOf(operation: string, region: string | undefined): CallRateLimiter | undefined {
    const shared = this.#limits[operation];
    const make = this.#perRegion[operation];
    if (shared !== undefined || make === undefined) return shared;
    const key = `${operation}\u0000${region ?? ''}`;
    const limiter = this.#regional.get(key) ?? make();
    this.#regional.set(key, limiter);
    return limiter;
  }

  /** Calls sent so far, by operation. */
  public get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }

  /** The most calls of a limited operation that started within any 1000 ms, as sent by this process. */
  public peakPerSecond(operation: string): number {
    const starts = this.#starts.get(operation) ?? [];
    let peak = 0;
    for (let first = 0, last = 0; last < starts.length; last++) {
      while ((starts[last] as number) - (starts[first] as number) >= 1000) first++;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  /**
   * Adds the budget to a client of `region` (every operation is counted; limited ones wait for their limiter, a
   * per-region one for that region's).
   */
  public install<T extends object>(client: T, region?: string): T {
    (client as unknown as StackedClient).middlewareStack.addRelativeTo(
      (next, context) => async (args: unknown) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const limiter = this.#limiterOf(operation, region);
        if (limiter === undefined) {
          this.#counts[operation] = (this.#counts[operation] ?? 0) + 1;
          return next(args);
        }
        const done = await limiter.acquire();
        const starts = this.#starts.get(operation) ?? [];
        starts.push(Date.now());
        this.#starts.set(operation, starts);
        this.#counts[operation] = (this.#counts[operation] ?? 0) + 1;
        try {
          return await next(args);
        } finally {
          // The slot is reused a window after the answer: a late request never bunches with the next ones.
          done();
        }
      },
      { name: 'kinesisAutoEncryptApiCallBudget', relation: 'after', toMiddleware: 'retryMiddleware' }
    );
    return client;
  }
}
