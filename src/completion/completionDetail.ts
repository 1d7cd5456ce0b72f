import type { Outcome } from '../domain/outcome';

/**
 * `detail` of a completion event, identical whether the Lambda or the state machine emits it.
 * JSON Schema: `src/completion/completion-event.schema.json`.
 */
export interface CompletionDetail {
  /** Schema version of this detail. */
  version: '2';
  outcome: Outcome;
  /** Human-readable cause, always present. */
  reason: string;
  /** CloudTrail `detail.eventID` of the CreateStream call (null only when the event had none). */
  eventId: string | null;
  streamArn: string | null;
  streamName: string | null;
  account: string | null;
  region: string | null;
  /** What made the pipeline look: `CreateStream`, `StopStreamEncryption`, `StartStreamEncryption`, `TagsChanged`. */
  trigger: string | null;
  /** Drift and tag triggers: `userIdentity.arn` of the caller (never access keys, IPs or user agents). */
  actor: string | null;
  /** Which rules decided: the mode and where the desired key came from (`default` or the key `tag`). */
  policy: { mode: string; keySource: 'default' | 'tag' } | null;
  /** KeyId that was (or would have been) applied. */
  keyId: string | null;
  /** The key the policy wants on the stream (the default, or its key tag): the same as `keyId`, named for reports. */
  desiredKeyId: string | null;
  /** Last `StreamStatus` seen, when a stream was read. */
  streamStatus: string | null;
  /** Last `EncryptionType` seen, when a stream was read. */
  encryptionType: string | null;
  /** KeyId the stream carried when last read. */
  streamKeyId: string | null;
  timestamps: {
    /** CloudTrail `eventTime` of CreateStream. */
    streamCreatedAt: string | null;
    /** When StartStreamEncryption was accepted (null when not applied). */
    appliedAt: string | null;
    /** When the stream was seen ACTIVE with the key (Encrypted / AlreadyCompliant). */
    confirmedAt: string | null;
  };
  /** CreateStream eventTime → confirmation, in ms (null unless Encrypted / AlreadyCompliant). */
  timeToEncryptedMs: number | null;
  /**
   * Encrypted only: the window in which the stream accepted unencrypted writes, from the trigger's eventTime to
   * confirmation + settleSeconds, in ms (for a tag trigger a lower bound: the stream was open before it).
   */
  exposureMs: number | null;
  /** Records written later than `confirmedAt` + this many seconds are encrypted. */
  settleSeconds: number;
  /** Machine-readable error when outcome is Failed or Rejected. */
  error: { name: string; message: string } | null;
  /** Exempt only: the exemption honoured (why, and the stream's `kinesis-auto-encrypt:*` tags). */
  exemption?: { reason: string; tags: Record<string, string> };
  /** Rejected only: every bad field of the event. */
  issues?: Array<{ path: string; message: string }>;
  /** Rejected only: the event as received, without identities, IPs or user agents, size-capped. */
  rejectedEvent?: unknown;
}
