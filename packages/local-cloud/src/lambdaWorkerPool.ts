import { randomUUID } from 'node:crypto';
import type { WorkerInvoke } from './lambdaWorker';
import {
  type InvokeResult,
  isAlive,
  runOnWorker,
  spawnWorker,
  type Worker,
  type WorkerSettings,
} from './lambdaWorkerProcess';
import { regionPartition } from './regionPartition';

interface Pool {
  instances: Worker[];
  queue: (() => void)[];
}

/** `arn:<partition>:lambda:REGION:ACCOUNT:function:NAME`, in the region's partition. */
export const lambdaFunctionArn = (functionName: string, account: string, region: string): string =>
  `arn:${regionPartition(region)}:lambda:${region}:${account}:function:${functionName}`;

/**
 * Worker processes per (account, region), at most `maxInstances` each; every worker runs one
 * invocation at a time like a Lambda execution environment, more invocations wait in a queue.
 */
export class LambdaWorkerPool {
  readonly #settings: WorkerSettings;
  readonly #maxInstances: number;
  readonly #pools = new Map<string, Pool>();
  #nextId = 1;
  #stopped = false;

  constructor(settings: WorkerSettings, maxInstances: number) {
    this.#settings = settings;
    this.#maxInstances = maxInstances;
  }

  /** Cold-starts instances of an account and region until `instances` (at most `maxInstances`) run. */
  async warm(account: string, region: string, instances: number): Promise<void> {
    const pool = this.#pool(account, region);
    const wanted = Math.max(1, Math.min(instances, this.#maxInstances));
    const alive = pool.instances.filter(isAlive);
    while (alive.length < wanted) alive.push(this.#spawnInto(pool, account, region));
    await Promise.all(alive.slice(0, wanted).map((worker) => worker.ready));
  }

  /** Runs one invocation on an idle (or new, or next released) worker with a real-shaped context. */
  async invoke(account: string, region: string, event: unknown, requestId: string): Promise<InvokeResult> {
    const pool = this.#pool(account, region);
    const worker = await this.#acquire(pool, account, region);
    try {
      await worker.ready;
    } catch (error) {
      this.#release(pool, worker);
      throw error;
    }
    const { functionName, memorySizeMb, timeoutMs } = this.#settings;
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const context: WorkerInvoke['context'] = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: lambdaFunctionArn(functionName, account, region),
      memoryLimitInMB: String(memorySizeMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `${day}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      deadlineMs: Date.now() + timeoutMs,
    };
    const message: WorkerInvoke = { type: 'invoke', id: this.#nextId++, event, context };
    const result = await runOnWorker(worker, message, requestId, timeoutMs);
    this.#release(pool, worker);
    return result;
  }

  /** SIGKILLs every worker of an account and region; resolves with the number killed once they exited. */
  async kill(account: string, region: string): Promise<number> {
    const workers = (this.#pools.get(`${account}/${region}`)?.instances ?? []).filter(isAlive);
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

  /** Stops every worker (SIGTERM, SIGKILL after 2 s); no invocation is accepted afterwards. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const workers = [...this.#pools.values()].flatMap((pool) => pool.instances);
    await Promise.all(
      workers.map(
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
      )
    );
    this.#pools.clear();
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
    pool.instances = pool.instances.filter(isAlive);
    const worker = spawnWorker(this.#settings, account, region);
    pool.instances.push(worker);
    return worker;
  }

  /** An idle instance, a new one while under `maxInstances`, else the next one released. */
  async #acquire(pool: Pool, account: string, region: string): Promise<Worker> {
    for (;;) {
      if (this.#stopped) throw new Error('Lambda runtime is stopped');
      const idle = pool.instances.find((worker) => !worker.busy && isAlive(worker));
      const worker =
        idle ??
        (pool.instances.filter(isAlive).length < this.#maxInstances
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
}
