import type { AutoEncryptError } from '../domain/errors';
import {
  AccessDeniedError,
  KeyProblem,
  KeyUnusableError,
  LimitExceededError,
  RequestRejectedError,
  StreamBusyError,
  StreamNotFoundError,
  ThrottledError,
} from '../domain/failures';
import { codeOf, messageOf, serviceFailure } from './serviceFailure';

/**
 * Kinesis answers its control-plane rate limit with `LimitExceededException` too, worded
 * "Rate exceeded for stream <name> under account <id>." (seen in awslabs/amazon-kinesis-scaling-utils#52,
 * awslabs/amazon-kinesis-producer#257; the AWS SDK for Ruby treats it as throttling, aws-sdk-ruby#1318).
 * Only that wording is a throttle; any other LimitExceededException of StartStreamEncryption is the
 * 25-new-keys-per-24-h budget (or too many concurrent updates) and must not be retried blindly.
 */
export const isKinesisRateLimit = (error: unknown): boolean =>
  error instanceof Error && error.name === 'LimitExceededException' && /rate exceeded/i.test(error.message);

/**
 * KMS errors Kinesis returns for StartStreamEncryption (Kinesis API reference, StartStreamEncryption
 * "Errors": https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html).
 */
const KEY_ERRORS: Record<string, [KeyProblem, string]> = {
  KMSDisabledException: [KeyProblem.Disabled, 'is disabled'],
  KMSInvalidStateException: [KeyProblem.InvalidState, 'is not in a usable state'],
  KMSAccessDeniedException: [KeyProblem.AccessDenied, 'cannot be used by Kinesis: check the key policy'],
  KMSNotFoundException: [KeyProblem.NotFound, 'was not found'],
  KMSOptInRequired: [KeyProblem.OptInRequired, 'needs the account to opt in to KMS first'],
};

/** Translates a Kinesis SDK error of `operation` on `streamArn` (with `keyId` when applying) into a domain error. */
export const kinesisFailure = (
  error: unknown,
  operation: string,
  streamArn: string,
  keyId?: string
): AutoEncryptError => {
  const code = codeOf(error);
  const detail = `(${code}: ${messageOf(error)})`;
  const options = { cause: error, code };
  const keyError = KEY_ERRORS[code];
  if (keyError !== undefined && keyId !== undefined) {
    return new KeyUnusableError(keyId, keyError[0], `KMS key ${keyId} ${keyError[1]} ${detail}`, options);
  }
  switch (code) {
    case 'ResourceNotFoundException':
      return new StreamNotFoundError(streamArn, options);
    case 'ResourceInUseException':
      return new StreamBusyError(streamArn, options);
    case 'InvalidArgumentException':
      return new RequestRejectedError(`Kinesis rejected ${operation} with KeyId ${keyId ?? '-'} ${detail}`, options);
    case 'KMSThrottlingException':
      return new ThrottledError(`${operation} (KMS)`, options);
    case 'LimitExceededException':
      // Only a key application has a hard limit; on reads it is the per-account rate (throttling).
      if (operation !== 'StartStreamEncryption' || isKinesisRateLimit(error))
        return new ThrottledError(operation, options);
      return new LimitExceededError(
        `Kinesis limit reached: a stream takes at most 25 new keys per rolling 24 h and one update at a time; not retried so the budget is not burnt ${detail}`,
        options
      );
    case 'AccessDeniedException':
      return new AccessDeniedError(`kinesis:${operation}`, streamArn, options);
    default:
      return serviceFailure(error, `${operation} on ${streamArn}`, streamArn);
  }
};
