import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { nodeBinary, PARENT_WATCH_IMPORT, stopChild, trackChild } from './childProcesses';
import { freePort, LOCAL_HOST } from './freePort';

/** Options of {@link startKinesisLocal}; durations are how long a stream stays in a transient status. */
export interface KinesisLocalOptions {
  /** CREATING → ACTIVE (default 500). */
  createDurationMs?: number;
  /** UPDATING → ACTIVE for StartStreamEncryption, StopStreamEncryption, shard and mode changes (default 500). */
  updateDurationMs?: number;
  /** DELETING → gone (default 500). */
  deleteDurationMs?: number;
  /** Plain HTTP port; a free port when omitted. */
  port?: number;
  /** kinesis-mock `SHARD_LIMIT` per account/region (default 50). */
  shardLimit?: number;
  /** kinesis-mock `LOG_LEVEL` (default `WARN`). */
  logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
  /** File that receives kinesis-local's stdout/stderr (appended). */
  logFile?: string;
  /** Give up when not ready after this long (default 20 000). */
  startTimeoutMs?: number;
  /** Extra environment for kinesis-local (wins over the options above). */
  env?: Record<string, string>;
}

/** A running kinesis-local process. */
export interface KinesisLocal {
  /** Plain HTTP endpoint, e.g. `http://127.0.0.1:45678`. */
  endpoint: string;
  port: number;
  pid: number;
  /** Kills the process; resolves once it has exited. */
  stop(): Promise<void>;
}

const TAIL_BYTES = 4_000;

const duration = (ms: number): string => `${Math.max(0, Math.round(ms))}ms`;

/** Resolves when `ListStreams` answers 200 on the plain port. */
const isReady = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const body = '{}';
    const req = request(
      {
        host: LOCAL_HOST,
        port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.ListStreams',
          'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
          authorization: `AWS4-HMAC-SHA256 Credential=000000000000/${new Date().toISOString().slice(0, 10).replace(/-/g, '')}/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
          'content-length': Buffer.byteLength(body),
        },
        timeout: 1_000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end(body);
  });

/**
 * Starts kinesis-local (kinesis-mock compiled to JS) on Node 22 on a free plain HTTP port and
 * waits until it answers. Accounts come from the caller's access key id (12 digits), regions
 * from the SigV4 scope. The process is killed by `stop()` and when this process exits.
 */
export const startKinesisLocal = async (options: KinesisLocalOptions = {}): Promise<KinesisLocal> => {
  const port = options.port ?? (await freePort());
  const tlsPort = await freePort();
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const update = duration(options.updateDurationMs ?? 500);
  const env: Record<string, string | undefined> = {
    ...process.env,
    KINESIS_MOCK_PLAIN_PORT: String(port),
    KINESIS_MOCK_TLS_PORT: String(tlsPort),
    KINESIS_MOCK_CERT_PATH: join(packageDir, 'server.json'),
    CREATE_STREAM_DURATION: duration(options.createDurationMs ?? 500),
    DELETE_STREAM_DURATION: duration(options.deleteDurationMs ?? 500),
    // kinesis-local 0.6.2 times StartStreamEncryption with STOP_STREAM_ENCRYPTION_DURATION.
    START_STREAM_ENCRYPTION_DURATION: update,
    STOP_STREAM_ENCRYPTION_DURATION: update,
    REGISTER_STREAM_CONSUMER_DURATION: update,
    DEREGISTER_STREAM_CONSUMER_DURATION: update,
    MERGE_SHARDS_DURATION: update,
    SPLIT_SHARD_DURATION: update,
    UPDATE_SHARD_COUNT_DURATION: update,
    UPDATE_STREAM_MODE_DURATION: update,
    SHARD_LIMIT: String(options.shardLimit ?? 50),
    LOG_LEVEL: options.logLevel ?? 'WARN',
    SHOULD_PERSIST_DATA: 'false',
    LOAD_DATA_IF_EXISTS: 'false',
    ...options.env,
  };
  // kinesis-mock reads AWS_ACCOUNT_ID / AWS_REGION as its defaults: keep the local ones.
  env.AWS_ACCOUNT_ID = options.env?.AWS_ACCOUNT_ID ?? '000000000000';
  env.AWS_REGION = options.env?.AWS_REGION ?? 'us-east-1';

  const child = spawn(nodeBinary(), ['--import', PARENT_WATCH_IMPORT, join(packageDir, 'main.js')], {
    env,
    // stdin stays open: kinesis-local exits when it closes (see PARENT_WATCH_IMPORT).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const untrack = trackChild(child);
  let tail = '';
  const collect = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    if (options.logFile !== undefined) appendFileSync(options.logFile, chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async (): Promise<void> => {
    await stopChild(child);
    untrack();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `kinesis-local exited before it was ready (${spawnError?.message ?? `code ${child.exitCode ?? child.signalCode}`}):\n${tail}`
      );
    }
    if (await isReady(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kinesis-local not ready on port ${port} after ${options.startTimeoutMs ?? 20_000} ms:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return { endpoint: `http://${LOCAL_HOST}:${port}`, port, pid: child.pid ?? -1, stop };
};
