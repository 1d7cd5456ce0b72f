import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nodeBinary, trackChild } from './childProcesses';
import type { SerializedError, WorkerInvoke, WorkerMessage } from './lambdaWorker';

/** Result of one invocation attempt. */
export type InvokeResult =
  | { ok: true; value: unknown; requestId: string; durationMs: number }
  | { ok: false; error: SerializedError; requestId: string; durationMs: number };

/** What every worker of one function is started with. */
export interface WorkerSettings {
  /** Gateway URL every `AWS_ENDPOINT_URL_*` points to. */
  endpoint: string;
  handlerPath: string;
  exportName: string;
  /** Working directory of the worker processes (the project's root). */
  cwd: string;
  /** The function role's session key in an account (`AWS_ACCESS_KEY_ID`); default the account id (an IAM user). */
  accessKeyIdFor?: (account: string) => string;
  functionName: string;
  memorySizeMb: number;
  timeoutMs: number;
  environment: Record<string, string>;
  environmentFor?: (account: string, region: string) => Record<string, string>;
  /** Worker stdout/stderr go to this file descriptor; `logFile` names it in errors. */
  logFd: number;
  logFile: string;
}

interface Pending {
  resolve: (result: InvokeResult) => void;
  started: number;
  requestId: string;
  timer: NodeJS.Timeout;
}

/** One worker process (one Lambda execution environment). */
export interface Worker {
  child: ChildProcess;
  /** Settles once the handler module is loaded (cold start) or failed to load. */
  ready: Promise<void>;
  pending: Map<number, Pending>;
  busy: boolean;
}

const ENDPOINT_SERVICES = [
  'KINESIS',
  'DYNAMODB',
  'SFN',
  'EVENTBRIDGE',
  'KMS',
  'SSM',
  'STS',
  'CLOUDTRAIL',
  'CLOUDWATCH',
] as const;

/** Whether the worker process is still running. */
export const isAlive = (worker: Worker): boolean => worker.child.exitCode === null && worker.child.signalCode === null;

/** The Lambda environment of a worker: no AWS_ / POWERTOOLS_ variables of this process, the function's own. */
const workerEnvironment = (settings: WorkerSettings, account: string, region: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('AWS_') && !name.startsWith('POWERTOOLS_')) env[name] = value;
  }
  return Object.assign(env, {
    // A session of the function's role, as Lambda gives its execution environment.
    AWS_ACCESS_KEY_ID: settings.accessKeyIdFor?.(account) ?? account,
    AWS_SECRET_ACCESS_KEY: 'local',
    // One token per execution environment: the gateway tells instances of the function apart by it.
    AWS_SESSION_TOKEN: `local/${randomUUID()}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: settings.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memorySizeMb),
    // As Lambda sets it: Powertools Metrics writes its ColdStart metric only then.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${settings.functionName}`,
    ...Object.fromEntries(ENDPOINT_SERVICES.map((service) => [`AWS_ENDPOINT_URL_${service}`, settings.endpoint])),
    ...settings.environment,
    ...settings.environmentFor?.(account, region),
    LOCAL_LAMBDA_HANDLER: settings.handlerPath,
    LOCAL_LAMBDA_EXPORT: settings.exportName,
  });
};

const settle = (pending: Map<number, Pending>, id: number, result: (entry: Pending) => InvokeResult): void => {
  const entry = pending.get(id);
  if (entry === undefined) return;
  pending.delete(id);
  clearTimeout(entry.timer);
  entry.resolve(result(entry));
};

/**
 * Starts one worker process for an account and region. A worker that exits ends its running
 * invocations with `Runtime.ExitError`.
 */
export const spawnWorker = (settings: WorkerSettings, account: string, region: string): Worker => {
  const child = fork(join(__dirname, 'lambdaWorker.ts'), [], {
    cwd: settings.cwd,
    env: workerEnvironment(settings, account, region),
    execPath: nodeBinary(),
    // The worker exits when the IPC channel closes, so it never outlives this process.
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', settings.logFd, settings.logFd, 'ipc'],
  });
  trackChild(child);
  const pending = new Map<number, Pending>();
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'initError') {
        reject(new Error(`Lambda init failed (${account}/${region}): ${message.error.errorMessage}`));
      } else if (message.type === 'result') {
        settle(pending, message.id, ({ requestId, started }) => {
          const durationMs = Date.now() - started;
          return message.ok
            ? { ok: true, value: message.value, requestId, durationMs }
            : { ok: false, error: message.error, requestId, durationMs };
        });
      }
    });
    child.once('exit', (code, signal) => {
      reject(
        new Error(
          `Lambda worker ${account}/${region} exited (${signal ?? code}) before it was ready; see ${settings.logFile}`
        )
      );
      for (const id of [...pending.keys()]) {
        settle(pending, id, ({ requestId, started }) => ({
          ok: false,
          requestId,
          durationMs: Date.now() - started,
          error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited (${signal ?? code})`, trace: [] },
        }));
      }
    });
    child.once('error', reject);
  });
  ready.catch(() => undefined);
  return { child, ready, pending, busy: false };
};

/**
 * Sends one invocation to a ready worker and resolves with its result. After `timeoutMs` the
 * worker is killed (like Lambda, a timed-out instance is not reused) and the result is `Sandbox.Timedout`.
 */
export const runOnWorker = (
  worker: Worker,
  message: WorkerInvoke,
  requestId: string,
  timeoutMs: number
): Promise<InvokeResult> =>
  new Promise<InvokeResult>((resolve) => {
    const started = Date.now();
    const timer = setTimeout(() => {
      worker.pending.delete(message.id);
      worker.child.kill('SIGKILL');
      resolve({
        ok: false,
        requestId,
        durationMs: Date.now() - started,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          trace: [],
        },
      });
    }, timeoutMs);
    worker.pending.set(message.id, { resolve, started, requestId, timer });
    worker.child.send(message);
  });
