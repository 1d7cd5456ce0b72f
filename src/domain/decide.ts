import { type ErrorSummary, errorSummary } from './errorSummary';
import type { AutoEncryptError } from './errors';
import { KeyUnusableError, StreamBusyError, StreamNotFoundError } from './failures';
import { driftRepairsOf, KEY_APPLICATIONS_PER_DAY, type KeyApplication, keyBudgetOf } from './keyBudget';
import type { KeyVerdict } from './keyCheck';
import { Outcome } from './outcome';
import type { ApplyRecord } from './ports';
import type { DecidingSetting } from './reason';
import { type Exemption, exemptionOf, Mode, type Policy, PolicyTag, type StreamTags, tagKeyOf } from './streamPolicy';
import { Trigger } from './streamRequest';
import type { StreamState } from './streamState';

/**
 * Everything known about one stream at one step of a reconcile. `undefined` means "not read yet";
 * `null` means "read, and there is none".
 */
export interface Situation {
  policy: Policy;
  /** The default KeyId (configuration / SSM), once resolved. */
  defaultKeyId?: string;
  /**
   * Why the default key could not be resolved (a permanent failure of `ResolveKey`). The stream is read all the same:
   * its compliance is known (an unencrypted stream stays NonCompliant), and one that needs no key is not failed.
   */
  defaultKeyFailure?: AutoEncryptError;
  /** Tags of the stream, once known (from CreateStream's request or ListTagsForStream). */
  tags?: StreamTags;
  /** Pre-flight verdict of the desired key ({@link desiredKeyOf}). */
  key?: KeyVerdict;
  stream?: StreamState | null;
  /** Whether the stream's KMS key is the desired key (by any of its names). */
  keyMatches?: boolean;
  /** This pipeline's apply record for the trigger (a previous attempt applied the key). */
  applied?: ApplyRecord | null;
  /** The key was applied in this invocation. */
  appliedNow?: ApplyRecord;
  /** Error of the last step, translated by an adapter, and the step. */
  failure?: AutoEncryptError;
  failedStep?: Action['kind'];
  /** Time is left to wait for a busy stream in this invocation. */
  canWait: boolean;
  /** StartStreamEncryption calls made in this invocation. */
  applyAttempts: number;
  /** CloudTrail `eventTime` of the trigger (ISO-8601). */
  triggerTime?: string;
  /** What made the pipeline look (e.g. `StopStreamEncryption`), and who did it (drift triggers). */
  trigger?: string;
  actor?: string;
  /** Key applications on the stream (ours and others'), once read. */
  applications?: readonly KeyApplication[];
  /** The time of this step (for the rolling 24 h budget). */
  now?: Date;
  /** IaC engine that created the stream, when one did. */
  iacEngine?: string;
  /** The IaC grace period was waited out in this invocation. */
  graceWaited?: boolean;
}

/** The one next step of a reconcile. */
export type Action =
  | { kind: 'ResolveKey' }
  | { kind: 'CheckKey'; keyId: string }
  | { kind: 'ReadStream' }
  | { kind: 'ReadTags' }
  | { kind: 'ReadApplications' }
  | { kind: 'Settle'; status: string }
  | { kind: 'CompareKeys'; streamKeyId: string; keyId: string }
  | { kind: 'ReadLedger' }
  | { kind: 'Grace'; seconds: number; engine: string }
  | { kind: 'Apply'; keyId: string }
  | { kind: 'Confirm'; keyId: string; appliedAt: string }
  | {
      kind: 'Finish';
      outcome: Outcome;
      /** Why, in words that name no setting; {@link decidedBy} names the setting that decided, for each reader to render. */
      reason: string;
      decidedBy?: DecidingSetting;
      error?: ErrorSummary;
      invalidateKey?: boolean;
      exemption?: Exemption;
    }
  | { kind: 'Retry'; reason: string; cause?: unknown };

/** The terminal step that publishes an outcome. */
export type FinishAction = Extract<Action, { kind: 'Finish' }>;

/** Apply attempts per invocation (ResourceInUse, or a stream that turns busy again, starts a new one). */
export const MAX_APPLY_ATTEMPTS = 4;

const failed = (reason: string, error?: ErrorSummary, invalidateKey = false, decidedBy?: DecidingSetting): Action => ({
  kind: 'Finish',
  outcome: Outcome.Failed,
  reason,
  error,
  invalidateKey,
  ...(decidedBy !== undefined && { decidedBy }),
});

/** Failed: no default key could be resolved. */
const noDefaultKey = (failure: AutoEncryptError): Action =>
  failed(`No usable default KMS key: ${failure.message}`, errorSummary(failure));

/** The answer to a failed step: decide again, come back later, or end with its outcome. */
const afterFailure = (failure: AutoEncryptError, s: Situation): Action => {
  if (failure instanceof StreamBusyError) return { kind: 'ReadStream' };
  if (failure instanceof StreamNotFoundError) {
    return {
      kind: 'Finish',
      outcome: Outcome.Skipped,
      reason: 'Stream not found: deleted before it could be encrypted',
    };
  }
  if (failure.retryable) return { kind: 'Retry', reason: failure.message, cause: failure };
  // No default key: the stream is read all the same (defaultKeyFailure fails it once it is known to need one).
  if (s.failedStep === 'ResolveKey') return s.stream === undefined ? { kind: 'ReadStream' } : noDefaultKey(failure);
  return failed(failure.message, errorSummary(failure), failure instanceof KeyUnusableError);
};

/**
 * CloudTrail `eventTime` has whole seconds and the stream's `StreamCreationTimestamp` is set while the call
 * is served: the same stream's times lie within a few seconds. A later creation is another stream.
 */
const SUPERSEDED_AFTER_SECONDS = 10;

/** The stream read was created after the trigger's call: the trigger is about an earlier stream of that name. */
export const supersedes = (
  stream: StreamState,
  triggerTime: string | undefined
): stream is StreamState & { createdAt: string } => {
  if (stream.createdAt === undefined || triggerTime === undefined) return false;
  return Date.parse(stream.createdAt) - Date.parse(triggerTime) > SUPERSEDED_AFTER_SECONDS * 1000;
};

const isBusy = (status: string): boolean => status === 'CREATING' || status === 'UPDATING';

/**
 * The reconciler's decision: a pure function from what is known about a stream to the one next
 * step. The loop around it ({@link reconcile}) performs the step and calls it again, until a
 * `Finish`, `Confirm` or `Retry`. Never applies a key the stream already has, never skips a
 * CREATING stream, leaves a team's own key alone unless the policy says otherwise.
 */
/** The key the stream should carry: its key tag (when honoured and valid), else the default. */
export const desiredKeyOf = (s: Situation): string | undefined => validTagKeyOf(s) ?? s.defaultKeyId;

/** The stream's valid key tag, when the policy honours it. */
export const validTagKeyOf = (s: Situation): string | undefined => {
  const fromTag = s.tags === undefined ? undefined : tagKeyOf(s.tags, s.policy);
  return fromTag !== undefined && 'keyId' in fromTag ? fromTag.keyId : undefined;
};

const finish = (outcome: Outcome, reason: string, decidedBy?: DecidingSetting): Action => ({
  kind: 'Finish',
  outcome,
  reason,
  ...(decidedBy !== undefined && { decidedBy }),
});

/** An unusable key's Failed: a key policy refused by the pre-flight names the setting that refused it. */
const keyUnusable = (key: Extract<KeyVerdict, { usable: false }>, fromTag: boolean): Action => {
  const reason = fromTag ? `Tag ${PolicyTag.Key}: ${key.reason}` : key.reason;
  if (key.error.name !== 'KeyPolicyDenies') return failed(reason, key.error);
  return failed(reason, key.error, false, { setting: 'keyPolicyCheck', value: 'enforce' });
};

/** Steps once the stream is ACTIVE: exemption, desired key and its pre-flight, then compare and act. */
const decideActive = (s: Situation, stream: StreamState): Action => {
  if (s.tags === undefined) return { kind: 'ReadTags' };
  const exemption = exemptionOf(s.tags, s.policy);
  if (exemption !== undefined) return { kind: 'Finish', outcome: Outcome.Exempt, reason: exemption.reason, exemption };
  const tagKey = tagKeyOf(s.tags, s.policy);
  if (tagKey !== undefined && 'invalid' in tagKey) {
    const reason = `Tag ${PolicyTag.Key} is not a valid KMS KeyId: ${JSON.stringify(tagKey.invalid.slice(0, 300))}; not applied`;
    return failed(reason, { name: 'InvalidKeyTag', message: reason });
  }
  const fromTag = tagKey !== undefined;
  if (s.defaultKeyFailure !== undefined) return noDefaultKey(s.defaultKeyFailure);
  const keyId = desiredKeyOf(s) as string;
  if (s.key === undefined) return { kind: 'CheckKey', keyId };
  if (!s.key.usable) return keyUnusable(s.key, fromTag);
  const owner = s.iacEngine === undefined ? '' : ` by its owner (${s.iacEngine})`;
  if (stream.encryptionType === 'KMS' && stream.keyId !== undefined) {
    if (s.keyMatches === undefined) return { kind: 'CompareKeys', streamKeyId: stream.keyId, keyId };
    if (s.keyMatches) {
      if (s.applied === undefined) return { kind: 'ReadLedger' };
      if (s.applied !== null) return { kind: 'Confirm', keyId: s.applied.keyId, appliedAt: s.applied.appliedAt };
      return finish(Outcome.AlreadyCompliant, `Stream already encrypted${owner} with ${stream.keyId}; no call made`);
    }
    if (!s.policy.overrideForeignKeys && !fromTag) {
      return finish(
        Outcome.Skipped,
        s.iacEngine !== undefined
          ? `Its owner (${s.iacEngine}) encrypted the stream with its own KMS key (${stream.keyId}); left as is`
          : `Stream is encrypted with another KMS key (${stream.keyId}); left as is`,
        { setting: 'overrideForeignKeys', value: false }
      );
    }
  }
  const grace = s.policy.iacGraceSeconds;
  if (s.iacEngine !== undefined && s.graceWaited !== true && grace > 0 && stream.encryptionType !== 'KMS') {
    return { kind: 'Grace', seconds: grace, engine: s.iacEngine };
  }
  if (s.policy.mode === Mode.Audit) {
    const now =
      stream.encryptionType === 'KMS' ? `KMS with ${stream.keyId}` : `EncryptionType ${stream.encryptionType}`;
    const source = fromTag ? ` (from tag ${PolicyTag.Key})` : '';
    return finish(Outcome.NonCompliant, `Stream is ${now}; ${keyId}${source} would be applied; nothing changed`, {
      setting: 'mode',
      value: Mode.Audit,
    });
  }
  if (s.applyAttempts >= MAX_APPLY_ATTEMPTS) {
    return { kind: 'Retry', reason: `Stream stayed busy through ${MAX_APPLY_ATTEMPTS} attempts; will retry` };
  }
  return budgeted(s, keyId);
};

/** Applies only while more than the reserve is left of the stream's 25 key applications per 24 h. */
const budgeted = (s: Situation, keyId: string): Action => {
  if (s.applications === undefined) return { kind: 'ReadApplications' };
  const now = s.now ?? new Date();
  if (s.trigger === Trigger.StopStreamEncryption) {
    const repairs = driftRepairsOf(s.applications, now);
    if (repairs.length >= s.policy.maxDriftRepairsPerDay) {
      const by = s.actor ?? repairs.at(-1)?.actor ?? 'unknown';
      const reason = `flapping: decrypted again after ${repairs.length} repairs in the last 24 h; left alone until the window passes; last decrypted by ${by}`;
      return failed(reason, { name: 'Flapping', message: reason }, false, {
        setting: 'maxDriftRepairsPerDay',
        value: s.policy.maxDriftRepairsPerDay,
      });
    }
  }
  const budget = keyBudgetOf(s.applications, now);
  if (budget.left > s.policy.keyBudgetReserve) return { kind: 'Apply', keyId };
  const reason = `Key budget: ${budget.used} of ${KEY_APPLICATIONS_PER_DAY} key applications used on this stream in the last 24 h; the last ${s.policy.keyBudgetReserve} are kept for people fixing a key; not applied; the budget frees up at ${budget.freesAt}`;
  return failed(reason, { name: 'KeyBudgetReserved', message: reason }, false, {
    setting: 'keyBudgetReserve',
    value: s.policy.keyBudgetReserve,
  });
};

/**
 * The reconciler's decision: a pure function from what is known about a stream to the one next
 * step. The loop around it ({@link reconcile}) performs the step and calls it again, until a
 * `Finish`, `Confirm` or `Retry`. Never applies a key the stream already has, never skips a
 * CREATING stream, honours exemption and key tags, leaves a team's own key alone unless the policy
 * says otherwise, and changes nothing in audit mode.
 */
export const decide = (s: Situation): Action => {
  if (s.failure !== undefined) return afterFailure(s.failure, s);
  if (s.appliedNow !== undefined) {
    return { kind: 'Confirm', keyId: s.appliedNow.keyId, appliedAt: s.appliedNow.appliedAt };
  }
  if (s.defaultKeyId === undefined && s.defaultKeyFailure === undefined) return { kind: 'ResolveKey' };
  if (s.stream === undefined) return { kind: 'ReadStream' };
  if (s.stream === null) return finish(Outcome.Skipped, 'Stream not found: deleted before it could be encrypted');
  const stream = s.stream;
  // A CloudTrail call is about the stream it was made on; a sweep (deployed or CLI) about the stream as it is now.
  if (s.trigger !== Trigger.Sweep && supersedes(stream, s.triggerTime)) {
    return finish(
      Outcome.Skipped,
      `Superseded: a stream of that name was created again at ${stream.createdAt}, after this event (${s.triggerTime}); the new stream's own event governs it`
    );
  }
  if (stream.status === 'DELETING') return finish(Outcome.Skipped, 'Stream is being deleted');
  if (isBusy(stream.status)) {
    if (s.canWait) return { kind: 'Settle', status: stream.status };
    return { kind: 'Retry', reason: `Stream still ${stream.status} after waiting; the event will be retried` };
  }
  if (stream.status !== 'ACTIVE') {
    return { kind: 'Retry', reason: `Stream in unexpected status ${stream.status}; the event will be retried` };
  }
  return decideActive(s, stream);
};
