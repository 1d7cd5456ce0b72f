/**
 * Child process of {@link LambdaRuntime}: one per (account, region), like one deployment of
 * the function. Loads the handler once (module scope = cold start) and runs invocations sent
 * over IPC. Started by `node --import tsx`; the handler path is in `LOCAL_LAMBDA_HANDLER`.
 */
import type { Context } from 'aws-lambda';

/** Invocation message from the parent. */
export interface WorkerInvoke {
  type: 'invoke';
  id: number;
  event: unknown;
  context: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'> & { deadlineMs: number };
}

/** Messages from the worker to the parent. */
export type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'initError'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

/** An error as Lambda reports it in a response payload. */
export interface SerializedError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const serialize = (error: unknown): SerializedError =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }
    : { errorType: 'Error', errorMessage: String(error), trace: [] };

const send = (message: WorkerMessage): void => {
  process.send?.(message);
};

const load = (): Handler => {
  const path = process.env.LOCAL_LAMBDA_HANDLER;
  const exportName = process.env.LOCAL_LAMBDA_EXPORT ?? 'handler';
  if (path === undefined) throw new Error('LOCAL_LAMBDA_HANDLER is not set');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path) as Record<string, unknown> & { default?: Record<string, unknown> };
  const handler = module[exportName] ?? module.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`${path} has no export "${exportName}"`);
  return handler as Handler;
};

const main = (): void => {
  const started = Date.now();
  let handler: Handler;
  try {
    handler = load();
  } catch (error) {
    send({ type: 'initError', error: serialize(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  process.on('message', (message: WorkerInvoke) => {
    if (message?.type !== 'invoke') return;
    const { deadlineMs, ...fields } = message.context;
    const context: Context = {
      ...fields,
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    Promise.resolve()
      .then(() => handler(message.event, context))
      .then(
        (value) => send({ type: 'result', id: message.id, ok: true, value: value ?? null }),
        (error: unknown) => send({ type: 'result', id: message.id, ok: false, error: serialize(error) })
      );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', initMs: Date.now() - started });
};

main();
