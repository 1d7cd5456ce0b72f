import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { AutoEncryptError, RetryableError } from '../domain/errors';
import { AccessDeniedError, ThrottledError } from '../domain/failures';

/** Error code of an SDK error (`name`), or `Error`. */
export const codeOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

/** Message of anything thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Denied by IAM: `AccessDeniedException` (JSON services) or `AccessDenied` / `AccessDeniedException` (SFN, STS, SQS). */
const isAccessDenied = (code: string): boolean => code === 'AccessDeniedException' || code === 'AccessDenied';

/**
 * Translates an SDK error of any call the pipeline makes, after the SDK's own retries: a domain
 * error passes through; denied → {@link AccessDeniedError} (permanent); throttled →
 * {@link ThrottledError}; anything else (5xx, network, unknown) → {@link RetryableError}.
 */
export const serviceFailure = (error: unknown, operation: string, resource: string): AutoEncryptError => {
  if (error instanceof AutoEncryptError) return error;
  const code = codeOf(error);
  if (isAccessDenied(code)) return new AccessDeniedError(operation, resource, { cause: error, code });
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  if (error instanceof Error && isThrottlingError(sdkError))
    return new ThrottledError(operation, { cause: error, code });
  const kind = error instanceof Error && isTransientError(sdkError) ? 'transient' : 'unclassified';
  return new RetryableError(`${operation} failed transiently (${kind} ${code}: ${messageOf(error)})`.slice(0, 2000), {
    cause: error,
    code,
  });
};
