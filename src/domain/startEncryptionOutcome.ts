import { Outcome } from './outcome';

/** What to do after StartStreamEncryption threw. */
export type StartEncryptionDecision =
  | { kind: 'Retry'; reason: string }
  | { kind: 'DecideAgain'; reason: string }
  | { kind: 'Final'; outcome: typeof Outcome.Failed | typeof Outcome.Skipped; reason: string; invalidatesKey: boolean };

/**
 * The deliberate outcome of each StartStreamEncryption error. Throttling has already been
 * retried by the SDK with backoff and jitter when it gets here.
 */
export const startEncryptionOutcome = (
  error: unknown,
  context: { keyId: string; streamArn: string }
): StartEncryptionDecision => {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const failed = (reason: string, invalidatesKey = false): StartEncryptionDecision => ({
    kind: 'Final',
    outcome: Outcome.Failed,
    reason: `${reason} (${name}: ${message})`,
    invalidatesKey,
  });
  switch (name) {
    case 'ResourceInUseException':
      return { kind: 'DecideAgain', reason: 'stream busy with another update' };
    case 'ResourceNotFoundException':
      return {
        kind: 'Final',
        outcome: Outcome.Skipped,
        reason: 'Stream not found: deleted before it could be encrypted',
        invalidatesKey: false,
      };
    case 'InvalidArgumentException':
      return failed(`Kinesis rejected StartStreamEncryption with KeyId ${context.keyId}`);
    case 'LimitExceededException':
      return failed(
        'Kinesis limit reached: a stream takes at most 25 new keys per rolling 24 h and one update at a time; not retried so the budget is not burnt'
      );
    case 'KMSDisabledException':
      return failed(`KMS key ${context.keyId} is disabled`, true);
    case 'KMSInvalidStateException':
      return failed(`KMS key ${context.keyId} is not in a usable state`, true);
    case 'KMSAccessDeniedException':
      return failed(`Kinesis is denied access to KMS key ${context.keyId}: check the key policy`, true);
    case 'KMSNotFoundException':
      return failed(`KMS key ${context.keyId} was not found`, true);
    case 'KMSOptInRequired':
      return failed(`The account must opt in to KMS before key ${context.keyId} can be used`, true);
    case 'AccessDeniedException':
      return failed(`The function lacks kinesis:StartStreamEncryption on ${context.streamArn}`);
    default:
      return { kind: 'Retry', reason: `StartStreamEncryption failed transiently (${name}: ${message})` };
  }
};
