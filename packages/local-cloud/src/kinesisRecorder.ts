import {
  buildCloudTrailRecord,
  type CloudTrailEnvelope,
  KINESIS_MANAGEMENT_OPERATIONS,
  toEventBridgeEnvelope,
} from './cloudTrailEvent';
import { awsJsonError, type LocalRequest, type LocalService } from './gateway';
import { createHttpForwarder, type ForwardedResponse } from './httpProxy';

/** Options of {@link createKinesisRecorder}. */
export interface KinesisRecorderOptions {
  /** kinesis-local endpoint every request is forwarded to, e.g. `http://127.0.0.1:45678`. */
  upstream: string;
  /** Receives each CloudTrail record in its EventBridge envelope. */
  onEvent: (envelope: CloudTrailEnvelope) => void | Promise<void>;
  /** Delay between the call and `onEvent` (CloudTrail delivery latency); default 0. */
  deliveryDelayMs?: number;
  /** Operations recorded; default {@link KINESIS_MANAGEMENT_OPERATIONS}. */
  operations?: readonly string[];
  /** Receives errors thrown by `onEvent`; default `console.error`. */
  onError?: (error: unknown) => void;
}

/** The local CloudTrail for Kinesis: a gateway service plus control of pending deliveries. */
export interface KinesisRecorder {
  /** Register on the gateway under `Kinesis_20131202`. */
  service: LocalService;
  /** Resolves once every recorded event so far has been handed to `onEvent` (and it settled). */
  idle(): Promise<void>;
  /** Cancels deliveries still waiting for their delay. */
  stop(): void;
}

/** Gateway prefix of the Kinesis JSON protocol. */
export const KINESIS_TARGET_PREFIX = 'Kinesis_20131202';

/**
 * kinesis-local picks the account from a 12-digit access key id: a session key (`ASIA<account>…`)
 * is signed over as its account before forwarding (the signature is not checked).
 */
const signedAsAccount = (req: LocalRequest): LocalRequest => {
  const { authorization } = req.headers;
  if (req.accessKeyId === req.account || req.accessKeyId === '' || typeof authorization !== 'string') return req;
  const headers = {
    ...req.headers,
    authorization: authorization.replace(`Credential=${req.accessKeyId}/`, `Credential=${req.account}/`),
  };
  return { ...req, headers };
};

const errorOf = (response: ForwardedResponse): { code: string; message: string } | undefined => {
  if (response.status < 400) return undefined;
  let parsed: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
  } catch {
    // not JSON: fall back to the header / status
  }
  const code =
    response.headers?.['x-amzn-errortype'] ??
    (typeof parsed.__type === 'string' ? parsed.__type : `Http${response.status}`);
  const message = parsed.message ?? parsed.Message;
  return { code, message: typeof message === 'string' ? message : '' };
};

/**
 * The local CloudTrail for Kinesis: forwards every Kinesis request byte for byte to kinesis-local
 * and, for management operations, emits the CloudTrail record (with `errorCode`/`errorMessage`
 * when the call failed) wrapped in the EventBridge envelope.
 */
export const createKinesisRecorder = (options: KinesisRecorderOptions): KinesisRecorder => {
  const forwarder = createHttpForwarder(options.upstream);
  const operations = new Set<string>(options.operations ?? KINESIS_MANAGEMENT_OPERATIONS);
  const delay = options.deliveryDelayMs ?? 0;
  const onError = options.onError ?? ((error: unknown) => console.error('CloudTrail delivery failed', error));
  const pending = new Set<Promise<void>>();
  /** Waiting deliveries: timer → resolver of their pending promise. */
  const timers = new Map<NodeJS.Timeout, () => void>();
  let stopped = false;

  const deliver = (envelope: CloudTrailEnvelope): void => {
    const delivery = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        Promise.resolve()
          .then(() => options.onEvent(envelope))
          .catch(onError)
          .finally(resolve);
      }, delay);
      timers.set(timer, resolve);
    });
    pending.add(delivery);
    void delivery.finally(() => pending.delete(delivery));
  };

  const service: LocalService = async (req) => {
    let response: ForwardedResponse;
    try {
      response = await forwarder.forward(signedAsAccount(req));
    } catch (error) {
      return awsJsonError('ServiceUnavailableException', `Local Kinesis is not reachable: ${String(error)}`, 503);
    }
    if (!stopped && operations.has(req.operation)) {
      const error = errorOf(response);
      const userAgent = req.headers['user-agent'];
      const record = buildCloudTrailRecord({
        operation: req.operation,
        account: req.account,
        region: req.region,
        accessKeyId: req.accessKeyId,
        request: req.json ?? {},
        userAgent: typeof userAgent === 'string' ? userAgent : undefined,
        requestId: response.headers?.['x-amzn-requestid'],
        errorCode: error?.code,
        errorMessage: error?.message,
      });
      deliver(toEventBridgeEnvelope(record));
    }
    return response;
  };

  return {
    service,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: () => {
      stopped = true;
      for (const [timer, resolveCancelled] of timers) {
        clearTimeout(timer);
        resolveCancelled();
      }
      timers.clear();
      forwarder.close();
    },
  };
};
