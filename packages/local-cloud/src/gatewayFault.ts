import { awsJsonError, type LocalGateway, type LocalRequest } from './gateway';
import { stsError } from './stsLocal';

/** A fault answered by the gateway instead of a service (see {@link injectFault}). */
export interface GatewayFault {
  /**
   * `Prefix` (every operation) or `Prefix.Operation`: `DynamoDB_20120810`, `AWSStepFunctions.StartExecution`,
   * `sts.AssumeRole` (an XML error, e.g. `Throttling`).
   */
  target: string;
  /** Only requests of this account. */
  account?: string;
  /** Requests to fail; every matching request until `clear()` when omitted. */
  count?: number;
  /** e.g. `ThrottlingException`, `ServiceUnavailable`, `InternalServerError`. */
  errorType: string;
  /** HTTP status; default 400 for `*Throttl*` types, else 500. */
  status?: number;
  message?: string;
}

/** Control of an injected fault. */
export interface GatewayFaultHandle {
  /** Requests answered with the fault so far. */
  readonly injected: number;
  /** Stops injecting (the service answers again). */
  clear(): void;
}

/**
 * Answers matching requests with an AWS JSON error instead of their service, e.g. the
 * idempotency store being unavailable or StartExecution throttled `count` times. The one way
 * the local cloud injects service errors (an interceptor that removes itself after `count`).
 */
export const injectFault = (gateway: Pick<LocalGateway, 'intercept'>, fault: GatewayFault): GatewayFaultHandle => {
  const status = fault.status ?? (/throttl/i.test(fault.errorType) ? 400 : 500);
  let injected = 0;
  const matches = (req: LocalRequest): boolean =>
    (req.target === fault.target || req.target.startsWith(`${fault.target}.`)) &&
    (fault.account === undefined || fault.account === req.account);
  const remove = gateway.intercept(async (req, next) => {
    if (!matches(req) || (fault.count !== undefined && injected >= fault.count)) return next();
    injected++;
    if (fault.count !== undefined && injected >= fault.count) remove();
    const message = fault.message ?? `Injected local fault: ${fault.errorType}`;
    // STS speaks the Query protocol: its errors are XML.
    return req.target.startsWith('sts.')
      ? stsError(fault.errorType, message, status)
      : awsJsonError(fault.errorType, message, status);
  });
  return {
    get injected() {
      return injected;
    },
    clear: remove,
  };
};
