import type { Compliance } from './compliance';
import type { ErrorSummary } from './errorSummary';
import type { Outcome } from './outcome';
import type { DecidingSetting } from './reason';
import type { Exemption, Mode } from './streamPolicy';
import type { StreamRequest } from './streamRequest';
import type { StreamState } from './streamState';
import type { GuardTagResult } from './writeGuard';

/** What a reconcile ended with, for the completion event. */
export interface ReconcileReport {
  request: StreamRequest;
  outcome: Outcome;
  /** The stream's compliance, whatever the outcome ({@link complianceOf}). */
  compliance: Compliance;
  /** Why, in words that name no setting; rendered with {@link decidedBy} by each reader ({@link reasonText}). */
  reason: string;
  /** The setting that decided, with its value. */
  decidedBy?: DecidingSetting;
  /** KeyId that was (or would have been) applied, when known. */
  keyId: string | null;
  /** Last state read, when the stream was read. */
  state?: StreamState;
  error?: ErrorSummary | null;
  appliedAt?: string | null;
  /** Which rules decided: the mode and where the desired key came from. */
  policy: { mode: Mode; keySource: 'default' | 'tag' };
  /** Exempt only: the exemption honoured. */
  exemption?: Exemption;
  confirmedAt?: string | null;
  /** Write guard on: what was done with the guard tag `kinesis-auto-encrypt:encrypted`. */
  guardTag?: GuardTagResult;
}
