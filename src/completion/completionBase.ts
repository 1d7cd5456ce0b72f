import type { ConfirmationInput } from '../domain/confirmationInput';
import { SETTLE_SECONDS } from '../domain/outcome';
import type { CompletionDetail } from './completionDetail';

/** The completion detail without its verdict: what the state machine merges its verdict over. */
export type CompletionBase = Omit<CompletionDetail, 'outcome' | 'reason' | 'issues' | 'rejectedEvent'>;

/**
 * The part of the state machine's completion detail that does not depend on the verdict, from its input;
 * the verdict fields start as null. The ASL's BuildCompletion merges outcome, reason and the rest over it.
 */
export const completionBase = (input: ConfirmationInput): CompletionBase => ({
  version: '1',
  eventId: input.eventId,
  streamArn: input.streamArn,
  streamName: input.streamName,
  account: input.account,
  region: input.region,
  keyId: input.keyId,
  streamStatus: null,
  encryptionType: null,
  streamKeyId: null,
  timestamps: { streamCreatedAt: input.streamCreatedAt, appliedAt: input.appliedAt, confirmedAt: null },
  timeToEncryptedMs: null,
  settleSeconds: SETTLE_SECONDS,
  error: null,
});
