import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nodeBinary, trackChild } from './childProcesses';
import type { SerializedError, WorkerInvoke, WorkerMessage } from './lambdaWorker';

/** Repository root (this file lives in `src/local`). */
export const REPO_ROOT = join(__dirname, '..', '..');

/** Options of {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  /** Gateway URL every `AWS_ENDPOINT_URL_*` points to. */
  endpoint: string;
  /** Handler module (TypeScript); default `handlers/encrypt-stream.ts`. */
  handlerPath?: string;
  exportName?: string;
  /** Default `kinesis-auto-encrypt-local-encryptStream`. */
  functionName?: string;
  /** The function's environment variables (same names as serverless.yml). */
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

/** Result of one invocation attempt. */
export type InvokeResult =
  | { ok: true; value: unknown; requestId: string; durationMs: number }
  | { ok: false; error: SerializedError; requestId: string; durationMs: number };

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

type ResolvedOptions = Required<Omit<LambdaRuntimeOptions, 'failureFile' | 'environmentFor'>> &
  Pick<LambdaRuntimeOptions, 'failureFile' | 'environmentFor'>;

interface Pending {
  resolve: (result: InvokeResult) => void;
  started: number;
  requestId: string;
  timer: NodeJS.Timeout;
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  busy: boolean;
}

interface Pool {
  instances: Worker[];
  queue: (() => void)[];
}

const ENDPOINT_SERVICES = ['KINESIS', 'DYNAMODB', 'SFN', 'EVENTBRIDGE', 'KMS', 'SSM'] as const;

/**
 * Runs the Lambda handler in one child process per (account, region), invoked over IPC with
 * a real-shaped context, and gives async invocations Lambda's retry and failure-destination semantics.
 */
export class LambdaRuntime extends EventEmitter {
  /** Failure destination (in memory). */
  readonly failures: FailureRecord[] = [];
  readonly #options: ResolvedOptions;
  readonly #pools = new Map<string, Pool>();
  #nextId = 1;
  #stopped = false;
  readonly #logFd: number;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: LambdaRuntimeOptions) {
    super();
    this.#options = {
      handlerPath: join(REPO_ROOT, 'handlers', 'encrypt-stream.ts'),
      exportName: 'handler',
      functionName: 'kinesis-auto-encrypt-local-encryptStream',
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
  }

  /** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`. */
  functionArn(account: string, region: string): string {
    return `arn:aws:lambda:${region}:${account}:function:${this.#options.functionName}`;
  }

  /**
   * Starts (cold-starts) instances for an account and region ahead of the first event until
   * `instances` (default 1, at most `maxInstances`) are running.
   */
  async warm(account: string, region: string, instances = 1): Promise<void> {
    const pool = this.#pool(account, region);
    const wanted = Math.max(1, Math.min(instances, this.#options.maxInstances));
    const alive = pool.instances.filter((worker) => this.#alive(worker));
    while (alive.length < wanted) alive.push(this.#spawnInto(pool, account, region));
    await Promise.all(alive.slice(0, wanted).map((worker) => worker.ready));
  }

  /** One synchronous (RequestResponse) invocation. */
  async invoke(
    account: string,
    region: string,
    event: unknown,
    requestId: string = randomUUID()
  ): Promise<InvokeResult> {
    const pool = this.#pool(account, region);
    const worker = await this.#acquire(pool, account, region);
    try {
      await worker.ready;
    } catch (error) {
      this.#release(pool, worker);
      throw error;
    }
    const id = this.#nextId++;
    const started = Date.now();
    const deadlineMs = started + this.#options.timeoutMs;
    const context: WorkerInvoke['context'] = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: this.#options.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.functionArn(account, region),
      memoryLimitInMB: String(this.#options.memorySizeMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${this.#options.functionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      deadlineMs,
    };
    const result = await new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        worker.pending.delete(id);
        // Like Lambda, a timed-out instance is not reused.
        worker.child.kill('SIGKILL');
        resolve({
          ok: false,
          requestId,
          durationMs: Date.now() - started,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${(this.#options.timeoutMs / 1000).toFixed(2)} seconds`,
            trace: [],
          },
        });
      }, this.#options.timeoutMs);
      worker.pending.set(id, { resolve, started, requestId, timer });
      const message: WorkerInvoke = { type: 'invoke', id, event, context };
      worker.child.send(message);
    });
    this.#release(pool, worker);
    return result;
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
    void promise.finally(() => this.#inFlight.delete(promise));
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
  async kill(account: string, region: string): Promise<number> {
    const workers = (this.#pools.get(`${account}/${region}`)?.instances ?? []).filter((worker) => this.#alive(worker));
    await Promise.all(
      workers.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          })
      )
    );
    return workers.length;
  }

  /** Stops every worker process. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const exits = this.#all().map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        })
    );
    await Promise.all(exits);
    this.#pools.clear();
    try {
      closeSync(this.#logFd);
    } catch {
      // already closed
    }
  }

  /** Kills workers synchronously (for process `exit` handlers). */
  killSync(): void {
    for (const { child } of this.#all()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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

  #all(): Worker[] {
    return [...this.#pools.values()].flatMap((pool) => pool.instances);
  }

  #alive(worker: Worker): boolean {
    return worker.child.exitCode === null && worker.child.signalCode === null;
  }

  #pool(account: string, region: string): Pool {
    if (this.#stopped) throw new Error('Lambda runtime is stopped');
    const key = `${account}/${region}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = { instances: [], queue: [] };
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #spawnInto(pool: Pool, account: string, region: string): Worker {
    pool.instances = pool.instances.filter((worker) => this.#alive(worker));
    const worker = this.#spawn(account, region);
    pool.instances.push(worker);
    return worker;
  }

  /** An idle instance, a new one while under `maxInstances`, else the next one released. */
  async #acquire(pool: Pool, account: string, region: string): Promise<Worker> {
    for (;;) {
      if (this.#stopped) throw new Error('Lambda runtime is stopped');
      const idle = pool.instances.find((worker) => !worker.busy && this.#alive(worker));
      const worker =
        idle ??
        (pool.instances.filter((w) => this.#alive(w)).length < this.#options.maxInstances
          ? this.#spawnInto(pool, account, region)
          : undefined);
      if (worker !== undefined) {
        worker.busy = true;
        return worker;
      }
      await new Promise<void>((resolve) => pool.queue.push(resolve));
    }
  }

  #release(pool: Pool, worker: Worker): void {
    worker.busy = false;
    pool.queue.shift()?.();
  }

  #spawn(account: string, region: string): Worker {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && !name.startsWith('AWS_') && !name.startsWith('POWERTOOLS_')) env[name] = value;
    }
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: account,
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: this.#options.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.#options.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.#options.functionName}`,
      ...Object.fromEntries(
        ENDPOINT_SERVICES.map((service) => [`AWS_ENDPOINT_URL_${service}`, this.#options.endpoint])
      ),
      ...this.#options.environment,
      ...this.#options.environmentFor?.(account, region),
      LOCAL_LAMBDA_HANDLER: this.#options.handlerPath,
      LOCAL_LAMBDA_EXPORT: this.#options.exportName,
    });
    const child = fork(join(__dirname, 'lambdaWorker.ts'), [], {
      cwd: REPO_ROOT,
      env,
      execPath: nodeBinary(),
      // The worker exits when the IPC channel closes, so it never outlives this process.
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', this.#logFd, this.#logFd, 'ipc'],
    });
    trackChild(child);
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          this.emit('coldStart', { account, region, initMs: message.initMs });
          resolve();
        } else if (message.type === 'initError') {
          reject(new Error(`Lambda init failed (${account}/${region}): ${message.error.errorMessage}`));
        } else if (message.type === 'result') {
          const entry = pending.get(message.id);
          if (entry === undefined) return;
          pending.delete(message.id);
          clearTimeout(entry.timer);
          const durationMs = Date.now() - entry.started;
          entry.resolve(
            message.ok
              ? { ok: true, value: message.value, requestId: entry.requestId, durationMs }
              : { ok: false, error: message.error, requestId: entry.requestId, durationMs }
          );
        }
      });
      child.once('exit', (code, signal) => {
        reject(
          new Error(
            `Lambda worker ${account}/${region} exited (${signal ?? code}) before it was ready; see ${this.#options.logFile}`
          )
        );
        for (const [id, entry] of pending) {
          pending.delete(id);
          clearTimeout(entry.timer);
          entry.resolve({
            ok: false,
            requestId: entry.requestId,
            durationMs: Date.now() - entry.started,
            error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited (${signal ?? code})`, trace: [] },
          });
        }
      });
      child.once('error', reject);
    });
    ready.catch(() => undefined);
    return { child, ready, pending, busy: false };
  }
}
