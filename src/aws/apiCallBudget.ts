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
 * API calls of one account: a rate limiter per operation (e.g. DescribeStreamSummary at 10/s) and a count of
 * every call sent, by operation. Installed after the SDK's retry middleware, so each attempt (a retry too)
 * waits for the budget and is counted.
 */
export class ApiCallBudget {
  readonly #limits: Readonly<Record<string, CallRateLimiter>>;
  readonly #counts: Record<string, number>;
  readonly #starts = new Map<string, number[]>();

  /** `counts` may be shared by several budgets (one per account) to total the calls of a run. */
  public constructor(limits: Readonly<Record<string, CallRateLimiter>>, counts: Record<string, number> = {}) {
    this.#limits = limits;
    this.#counts = counts;
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

  /** Adds the budget to a client (every operation is counted; limited ones wait for their limiter). */
  public install<T extends object>(client: T): T {
    (client as unknown as StackedClient).middlewareStack.addRelativeTo(
      (next, context) => async (args: unknown) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const limiter = this.#limits[operation];
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
