/**
 * Base of every error this project raises on purpose. `retryable` decides the path of the trigger:
 * `true` → the invocation throws and Lambda retries it (then keeps it on the failure destination);
 * `false` → the reconciler publishes a `Failed` (or `Skipped`) completion and the invocation ends.
 * `code` is the service's own error code, when there was one, reported as is in the completion event.
 */
export class AutoEncryptError extends Error {
  public readonly retryable: boolean;
  public readonly code: string | undefined;

  public constructor(message: string, options?: { cause?: unknown; retryable?: boolean; code?: string }) {
    super(message, { cause: options?.cause });
    this.name = 'AutoEncryptError';
    this.retryable = options?.retryable ?? false;
    this.code = options?.code;
  }
}

/** One field of an event that failed validation. */
export interface EventIssue {
  /** Dotted path of the bad field, e.g. `detail.requestParameters.streamName`. */
  path: string;
  message: string;
}

/** The event is not a usable, successful CreateStream record. Never retried. */
export class InvalidEventError extends AutoEncryptError {
  public readonly issues: EventIssue[];

  public constructor(issues: EventIssue[], options?: { cause?: unknown }) {
    super(`Invalid CreateStream event: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, {
      cause: options?.cause,
      retryable: false,
    });
    this.name = 'InvalidEventError';
    this.issues = issues;
  }
}

/** A KeyId that is none of the five forms Kinesis accepts. */
export class InvalidKeyIdError extends AutoEncryptError {
  public constructor(value: string, source: string) {
    super(
      `${source} is not a valid KMS KeyId: ${JSON.stringify(value.slice(0, 300))}. Use a key id (GUID), a key ARN, an alias ARN, alias/Name or alias/aws/kinesis`
    );
    this.name = 'InvalidKeyIdError';
  }
}

/** Configuration that cannot work (checked at cold start). */
export class ConfigurationError extends AutoEncryptError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause, retryable: false });
    this.name = 'ConfigurationError';
  }
}

/** A transient condition (throttling, stream still CREATING, service error): the event must come back. */
export class RetryableError extends AutoEncryptError {
  public constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { cause: options?.cause, retryable: true, code: options?.code });
    this.name = 'RetryableError';
  }
}
