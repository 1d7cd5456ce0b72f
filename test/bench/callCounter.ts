import type { LocalGateway, LocalRequest } from '../../tools/dev';
import { LAMBDA_EXECUTION_ENV } from '../../tools/dev';

/** Who made a call: the Lambda handler, the state machine's Task states, or the bench itself. */
type Caller = 'lambda' | 'stepfunctions' | 'bench';

/** One AWS call as the local gateway saw it. */
export interface CallRecord {
  /** `Date.now()` when the request reached the gateway. */
  at: number;
  /** Target prefix, e.g. `Kinesis_20131202`, `DynamoDB_20120810`. */
  service: string;
  operation: string;
  account: string;
  caller: Caller;
  /** Stream the call is about, when the request names one. */
  streamName?: string;
  status: number;
}

/** User agent marker of the bench's own clients. */
export const BENCH_USER_AGENT = 'kae-bench';

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const parse = (text: unknown): Record<string, unknown> | undefined => {
  if (typeof text === 'string') {
    try {
      return record(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  return record(text);
};

const nameFromArn = (arn: unknown): string | undefined =>
  typeof arn === 'string' && arn.includes(':stream/') ? arn.split(':stream/')[1] : undefined;

/** Stream named by a request: Kinesis StreamName/StreamARN, the StartExecution input, a PutEvents detail. */
const streamOfRequest = (req: Pick<LocalRequest, 'operation' | 'json'>): string | undefined => {
  const body = record(req.json);
  if (body === undefined) return undefined;
  if (typeof body.StreamName === 'string') return body.StreamName;
  const fromArn = nameFromArn(body.StreamARN);
  if (fromArn !== undefined) return fromArn;
  if (req.operation === 'StartExecution') {
    const input = parse(body.input);
    return typeof input?.streamName === 'string' ? input.streamName : undefined;
  }
  if (req.operation === 'PutEvents' && Array.isArray(body.Entries)) {
    const detail = parse(record(body.Entries[0])?.Detail);
    return typeof detail?.streamName === 'string' ? detail.streamName : undefined;
  }
  return undefined;
};

const callerOf = (req: LocalRequest): Caller => {
  const agents = [req.headers['user-agent'], req.headers['x-amz-user-agent']].join(' ');
  if (agents.includes(BENCH_USER_AGENT)) return 'bench';
  if (agents.includes(`exec-env/${LAMBDA_EXECUTION_ENV}`)) return 'lambda';
  return 'stepfunctions';
};

/** Records every request of every local service through a gateway interceptor. */
export class CallCounter {
  readonly calls: CallRecord[] = [];
  #remove: (() => void) | undefined;

  /** Starts counting every request the gateway routes (idempotent); returns a function that stops it. */
  install(gateway: LocalGateway): () => void {
    this.#remove ??= gateway.intercept(async (req, next) => {
      const at = Date.now();
      const response = await next();
      const dot = req.target.lastIndexOf('.');
      this.calls.push({
        at,
        service: dot === -1 ? req.target : req.target.slice(0, dot),
        operation: req.operation,
        account: req.account,
        caller: callerOf(req),
        streamName: streamOfRequest(req),
        status: response.status,
      });
      return response;
    });
    return () => {
      this.#remove?.();
      this.#remove = undefined;
    };
  }

  /** Forgets every call recorded so far. */
  reset(): void {
    this.calls.length = 0;
  }
}

/** Most calls in any sliding one-second window. */
export const peakPerSecond = (times: number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
};
