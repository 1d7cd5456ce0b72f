import { SETTLE_SECONDS } from '../domain/outcome';
import type { CompletionDetail } from './completionDetail';

/** The completion detail without its verdict (outcome, compliance, reason) and without the Rejected-only fields. */
export type CompletionBase = Omit<CompletionDetail, 'outcome' | 'compliance' | 'reason' | 'issues' | 'rejectedEvent'>;

/** What the verdict-free part of a completion detail is built from (a ConfirmationInput is one). */
export interface CompletionSubject {
  eventId: string | null;
  streamArn: string | null;
  streamName: string | null;
  account: string | null;
  region: string | null;
  keyId: string | null;
  /** CloudTrail eventTime of CreateStream. */
  streamCreatedAt: string | null;
  appliedAt: string | null;
  /** What made the pipeline look (CloudTrail eventName, tag calls as `TagsChanged`). */
  trigger?: CompletionDetail['trigger'];
  /** Drift triggers: `userIdentity.arn` of the caller. */
  actor?: string | null;
  /** Which rules decided: the mode, and where the desired key came from. */
  policy?: CompletionDetail['policy'];
}

/**
 * The part of every completion detail that does not depend on the verdict; the verdict fields start as null.
 * The Lambda's builders spread it; the state machine gets it as input `completion` and merges its verdict over it.
 */
export const completionBase = (subject: CompletionSubject): CompletionBase => ({
  version: '3',
  eventId: subject.eventId,
  streamArn: subject.streamArn,
  streamName: subject.streamName,
  account: subject.account,
  region: subject.region,
  keyId: subject.keyId,
  desiredKeyId: subject.keyId,
  trigger: subject.trigger ?? null,
  actor: subject.actor ?? null,
  policy: subject.policy ?? null,
  streamStatus: null,
  encryptionType: null,
  streamKeyId: null,
  timestamps: { streamCreatedAt: subject.streamCreatedAt, appliedAt: subject.appliedAt, confirmedAt: null },
  timeToEncryptedMs: null,
  exposureMs: null,
  settleSeconds: SETTLE_SECONDS,
  error: null,
});
