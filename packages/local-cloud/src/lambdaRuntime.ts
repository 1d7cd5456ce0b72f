import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SerializedError } from './lambdaWorker';
import { LambdaWorkerPool, lambdaFunctionArn } from './lambdaWorkerPool';
import type { InvokeResult } from './lambdaWorkerProcess';

/** Options of {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  /** Gateway URL every `AWS_ENDPOINT_URL_*` points to. */
  endpoint: string;
  /** Handler module (TypeScript, run with tsx). */
  handlerPath: string;
  /** Default `handler`. */
  exportName?: string;
  functionName: string;
  /** Working directory of the worker processes; default this process's. */
  cwd?: string;
  /** The function role's session key in an account (see localIdentities.ts); default the account id. */
  accessKeyIdFor?: (account: string) => string;
  /** The function's environment variables (as the function's configuration declares them). */
  environment?: Record<string, string>;
  /** Per-deployment variables (e.g. `STATE_MACHINE_ARN`), merged over `environment`. */
  environmentFor?: (account: string, region: string) => Record<string, string>;
  /** Handler stdout/stderr (Powertools JSON logs) are appended here. */
  logFile: string;
  /** Failure destination as JSON lines (optional). */
  failureFile?: string;
  /** Function timeout; default 60 s. */
  timeoutMs?: number;
  memorySizeMb?: number;
  /** Async invoke: retries after an error (Lambda: 2). */
  maxRetries?: number;
  /** Delay before each retry; default 1000 ms (Lambda waits ~1 min, then ~2 min). */
  retryDelayMs?: number;
  /**
   * Worker processes (Lambda instances) per account and region; each runs one invocation at a
   * time like Lambda, more invocations wait in a queue. Default 2 (about 100 MB each).
   */
  maxInstances?: number;
}

/** Lambda's failure destination record for an async invocation that exhausted its retries. */
export interface FailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetriesExhausted';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError: 'Unhandled' };
  responsePayload: SerializedError;
}

/** Emitted as `invocation` after every attempt. */
export interface InvocationRecord {
  account: string;
  region: string;
  event: unknown;
  attempt: number;
  result: InvokeResult;
}

type ResolvedOptions = Required<Omit<LambdaRuntimeOptions, 'failureFile' | 'environmentFor' | 'accessKeyIdFor'>> &
  Pick<LambdaRuntimeOptions, 'failureFile' | 'environmentFor' | 'accessKeyIdFor'>;

/**
 * Runs the Lambda handler in worker processes per (account, region) (see {@link LambdaWorkerPool})
 * and gives async invocations Lambda's retry and failure-destination semantics.
 * Emits `invocation` (InvocationRecord) after every attempt and `failure` (FailureRecord).
 */
export class LambdaRuntime extends EventEmitter {
  /** Failure destination (in memory). */
  readonly failures: FailureRecord[] = [];
  readonly #options: ResolvedOptions;
  readonly #workers: LambdaWorkerPool;
  readonly #logFd: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(options: LambdaRuntimeOptions) {
    super();
    this.#options = {
      exportName: 'handler',
      cwd: process.cwd(),
      environment: {},
      timeoutMs: 60_000,
      memorySizeMb: 256,
      maxRetries: 2,
      retryDelayMs: 1000,
      maxInstances: 2,
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    } as ResolvedOptions;
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.#logFd = openSync(options.logFile, 'a');
    this.#workers = new LambdaWorkerPool({ ...this.#options, logFd: this.#logFd }, this.#options.maxInstances);
  }

  /** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`. */
  functionArn(account: string, region: string): string {
    return lambdaFunctionArn(this.#options.functionName, account, region);
  }

  /**
   * Starts (cold-starts) instances for an account and region ahead of the first event until
   * `instances` (default 1, at most `maxInstances`) are running.
   */
  warm(account: string, region: string, instances = 1): Promise<void> {
    return this.#workers.warm(account, region, instances);
  }

  /** One synchronous (RequestResponse) invocation. */
  invoke(account: string, region: string, event: unknown, requestId: string = randomUUID()): Promise<InvokeResult> {
    return this.#workers.invoke(account, region, event, requestId);
  }

  /**
   * An asynchronous (Event) invocation: retried up to `maxRetries` times after an error,
   * then recorded in the failure destination. Resolves with the last attempt.
   */
  invokeAsync(account: string, region: string, event: unknown): Promise<InvokeResult> {
    const requestId = randomUUID();
    const run = async (): Promise<InvokeResult> => {
      let attempt = 0;
      for (;;) {
        attempt++;
        const result = await this.invoke(account, region, event, requestId);
        this.emit('invocation', { account, region, event, attempt, result } satisfies InvocationRecord);
        if (result.ok) return result;
        if (attempt > this.#options.maxRetries || this.#stopped) {
          this.#recordFailure(account, region, event, result, attempt);
          return result;
        }
        await new Promise((resolve) => setTimeout(resolve, this.#options.retryDelayMs));
      }
    };
    const promise = run();
    this.#inFlight.add(promise);
    // Both outcomes end its tracking; a rejection (e.g. invoked after stop) stays the caller's to handle, never an
    // unhandled rejection of this bookkeeping chain.
    const forget = (): void => {
      this.#inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Resolves once every async invocation started so far has finished (retries included). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Re-sends a failure destination record's original event as a new async invocation to the
   * function it failed in (account and region from its function ARN), like a redrive.
   */
  redrive(record: FailureRecord): Promise<InvokeResult> {
    const [, , , region = '', account = ''] = record.requestContext.functionArn.split(':');
    return this.invokeAsync(account, region, record.requestPayload);
  }

  /**
   * Kills (SIGKILL) every worker of an account and region, like an instance crashing; their
   * running invocations end with `Runtime.ExitError` and are retried. Resolves with the number
   * killed once they have exited.
   */
  kill(account: string, region: string): Promise<number> {
    return this.#workers.kill(account, region);
  }

  /** Stops every worker process. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#workers.stop();
    try {
      closeSync(this.#logFd);
    } catch {
      // already closed
    }
  }

  #recordFailure(account: string, region: string, event: unknown, result: InvokeResult, attempts: number): void {
    if (result.ok) return;
    const record: FailureRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: result.requestId,
        functionArn: `${this.functionArn(account, region)}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: result.error,
    };
    this.failures.push(record);
    if (this.#options.failureFile !== undefined) {
      mkdirSync(dirname(this.#options.failureFile), { recursive: true });
      appendFileSync(this.#options.failureFile, `${JSON.stringify(record)}\n`);
    }
    this.emit('failure', record);
  }
}
