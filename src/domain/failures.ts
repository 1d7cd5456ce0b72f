import { AutoEncryptError, RetryableError } from './errors';

/** Options every failure takes: the original error and the service's error code. */
export interface FailureOptions {
  cause?: unknown;
  code?: string;
}

/** Why a KMS key cannot serve a stream. */
export const KeyProblem = {
  NotFound: 'NotFound',
  Disabled: 'Disabled',
  InvalidState: 'InvalidState',
  /** The function may not read the key (DescribeKey). */
  Unreadable: 'Unreadable',
  /** Kinesis may not use the key (key policy). */
  AccessDenied: 'AccessDenied',
  OptInRequired: 'OptInRequired',
  InvalidArn: 'InvalidArn',
  /** Wrong type, usage or state for Kinesis (asymmetric, pending deletion, …). */
  NotUsable: 'NotUsable',
} as const;

export type KeyProblem = (typeof KeyProblem)[keyof typeof KeyProblem];

/** The KMS key cannot encrypt the stream. Permanent until someone fixes the key. */
export class KeyUnusableError extends AutoEncryptError {
  public readonly problem: KeyProblem;
  public readonly keyId: string;

  public constructor(keyId: string, problem: KeyProblem, message: string, options?: FailureOptions) {
    super(message, { ...options, retryable: false });
    this.name = 'KeyUnusableError';
    this.keyId = keyId;
    this.problem = problem;
  }
}

/** The stream does not exist (any more). */
export class StreamNotFoundError extends AutoEncryptError {
  public constructor(streamArn: string, options?: FailureOptions) {
    super(`Stream ${streamArn} not found`, { ...options, retryable: false });
    this.name = 'StreamNotFoundError';
  }
}

/** The stream is busy with another update; read it again and decide again. */
export class StreamBusyError extends AutoEncryptError {
  public constructor(streamArn: string, options?: FailureOptions) {
    super(`Stream ${streamArn} is busy with another update`, { ...options, retryable: true });
    this.name = 'StreamBusyError';
  }
}

/** The service refused the request as invalid (a parameter it cannot take). */
export class RequestRejectedError extends AutoEncryptError {
  public constructor(message: string, options?: FailureOptions) {
    super(message, { ...options, retryable: false });
    this.name = 'RequestRejectedError';
  }
}

/** A hard limit was reached (e.g. 25 new keys per stream per rolling 24 h); retrying would only burn budget. */
export class LimitExceededError extends AutoEncryptError {
  public constructor(message: string, options?: FailureOptions) {
    super(message, { ...options, retryable: false });
    this.name = 'LimitExceededError';
  }
}

/** The pipeline's role (its own, or the member role in a member account) lacks a permission. Permanent until fixed. */
export class AccessDeniedError extends AutoEncryptError {
  public readonly action: string;
  public readonly resource: string;

  public constructor(action: string, resource: string, options?: FailureOptions) {
    super(`The pipeline's role lacks ${action} on ${resource} (in a member account: the member role)`, {
      ...options,
      retryable: false,
    });
    this.name = 'AccessDeniedError';
    this.action = action;
    this.resource = resource;
  }
}

/**
 * The pipeline cannot act in a stream's account or region: its role there is missing or does not trust the
 * pipeline, the region is not enabled, or the account is gone. Permanent until that account is fixed.
 */
export class AccountUnreachableError extends AutoEncryptError {
  public readonly account: string;

  public constructor(account: string, message: string, options?: FailureOptions) {
    super(message, { ...options, retryable: false });
    this.name = 'AccountUnreachableError';
    this.account = account;
  }
}

/** Throttled after the SDK's own retries: the trigger comes back later. */
export class ThrottledError extends RetryableError {
  public constructor(operation: string, options?: FailureOptions) {
    super(`${operation} failed transiently: throttled after the SDK's retries`, options);
    this.name = 'ThrottledError';
  }
}
