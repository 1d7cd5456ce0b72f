/**
 * Every way a CreateStream event can end. Each outcome is published on EventBridge
 * with source {@link EVENT_SOURCE} and the detail-type in {@link DetailType}.
 */
export const Outcome = {
  /** The stream was encrypted with the expected key and the state machine confirmed it. */
  Encrypted: 'Encrypted',
  /** The stream already used the expected key: no call was made. */
  AlreadyCompliant: 'AlreadyCompliant',
  /** Nothing to do on purpose (stream deleted, or encrypted with a team's own key). */
  Skipped: 'Skipped',
  /** Tagged `kinesis-auto-encrypt:exempt=true` (and exemptions allowed): left as it is. */
  Exempt: 'Exempt',
  /** Audit mode: the stream would be changed; nothing was. */
  NonCompliant: 'NonCompliant',
  /** The stream could not be encrypted and confirmed; `reason` says why. */
  Failed: 'Failed',
  /** The event itself is not a usable successful CreateStream record. */
  Rejected: 'Rejected',
} as const;

export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** EventBridge `source` of every completion event. */
export const EVENT_SOURCE = 'kinesis-auto-encrypt';

/** EventBridge `detail-type` per outcome. */
export const DetailType = {
  Encrypted: 'Stream Encrypted',
  AlreadyCompliant: 'Stream Already Compliant',
  Skipped: 'Stream Skipped',
  Exempt: 'Stream Exempt',
  NonCompliant: 'Stream Non-Compliant',
  Failed: 'Stream Encryption Failed',
  Rejected: 'Event Rejected',
} as const satisfies Record<Outcome, string>;

/** Seconds after ACTIVE before every new record is encrypted (Kinesis documentation). */
export const SETTLE_SECONDS = 5;
