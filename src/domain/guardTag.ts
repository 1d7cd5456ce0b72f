import { type Action, type Situation, validTagKeyOf } from './decide';
import { asAutoEncryptError, errorSummary } from './errorSummary';
import { RetryableError } from './errors';
import type { KeyPort } from './keyCheck';
import { Outcome, SETTLE_SECONDS } from './outcome';
import type { StreamPort } from './ports';
import { type StreamRequest, Trigger } from './streamRequest';
import type { StreamState } from './streamState';
import { GUARD_TAG_KEY, type GuardTagResult, keepsGuardTag, keyArnOf, type WriteGuard } from './writeGuard';

/** A reconcile's {@link Situation} with what the guard tag needs. */
export interface GuardSituation extends Situation {
  /** The stage parameter `writeGuard`; undefined = `off`. */
  writeGuard?: WriteGuard;
  /** ARN of the stream's own key (a key the policy leaves alone), once resolved. */
  streamKeyArn?: string;
  /** What this invocation did with the guard tag (done once per invocation). */
  guardTag?: GuardTagResult;
}

/** A step of the guard tag, taken before the action {@link decide} chose (which then runs as chosen). */
export type GuardAction =
  | { kind: 'ResolveStreamKey'; keyId: string }
  | { kind: 'ReadGuardTags' }
  | { kind: 'GuardTagPresent'; value: string }
  | { kind: 'SetGuardTag'; value: string }
  | { kind: 'RemoveGuardTag' };

const RESOLVE = Symbol('resolve the stream key ARN');

/** A key the policy leaves alone: KMS with a key that is not the desired one, no override, no key tag asking. */
const onKeyLeftAlone = (s: Situation, stream: StreamState): boolean =>
  stream.encryptionType === 'KMS' &&
  stream.keyId !== undefined &&
  s.keyMatches === false &&
  !s.policy.overrideForeignKeys &&
  validTagKeyOf(s) === undefined;

/**
 * The guard tag the stream should carry once `next` is taken: its key ARN while it is Compliant (`AlreadyCompliant`:
 * the desired key, whose pre-flight DescribeKey gave the ARN; `Skipped` on a key the policy leaves alone: that key's
 * ARN), none when it is not (`Exempt`; about to be encrypted or re-keyed; `Failed` while unencrypted), `undefined`
 * when this step says nothing about it (a `Failed` encrypted stream keeps its tag: a configuration error must not
 * refuse writes). `Encrypted` is the state machine's to tag, after the confirmation and the settle.
 */
const targetOf = (s: GuardSituation, next: Action): string | null | typeof RESOLVE | undefined => {
  const stream = s.stream;
  if (stream == null || stream.status !== 'ACTIVE') return undefined;
  if (next.kind === 'Apply') return null;
  if (next.kind !== 'Finish') return undefined;
  switch (next.outcome) {
    case Outcome.AlreadyCompliant:
      return s.key?.usable === true ? s.key.facts.keyArn : undefined;
    case Outcome.Exempt:
      return null;
    case Outcome.Failed:
      return stream.encryptionType === 'KMS' ? undefined : null;
    case Outcome.Skipped:
      return onKeyLeftAlone(s, stream) ? (s.streamKeyArn ?? RESOLVE) : undefined;
    default:
      return undefined;
  }
};

/**
 * The next guard tag step before `next` (the action {@link decide} chose), or undefined when there is none: only with
 * a write guard in enforce mode, once per invocation. The tag `kinesis-auto-encrypt:encrypted` is present exactly
 * while the stream is Compliant, its value the key's ARN; a stale or forged one (another value, or on a stream that is
 * not Compliant) is replaced or removed.
 */
export const guardStep = (s: GuardSituation, next: Action): GuardAction | undefined => {
  if (!keepsGuardTag(s.writeGuard, s.policy.mode) || s.guardTag !== undefined) return undefined;
  const target = targetOf(s, next);
  if (target === undefined) return undefined;
  if (target === RESOLVE) return { kind: 'ResolveStreamKey', keyId: s.stream?.keyId ?? '' };
  if (s.tags === undefined) return { kind: 'ReadGuardTags' };
  const current = s.tags[GUARD_TAG_KEY];
  if (target === null) return current === undefined ? undefined : { kind: 'RemoveGuardTag' };
  return current === target ? { kind: 'GuardTagPresent', value: target } : { kind: 'SetGuardTag', value: target };
};

/** What {@link performGuardAction} works with: the stream and key ports, and the request's stream. */
export interface GuardActionContext {
  streams: StreamPort;
  keys: KeyPort;
  request: StreamRequest;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Performs one guard tag step and records it in `s`. A retryable failure brings the trigger back; another is
 * reported in the completion's `guardTag` (status `Failed`) and the reconcile goes on.
 * @throws {RetryableError} when the tag call must be retried (throttling, service error)
 */
export const performGuardAction = async (
  action: GuardAction,
  s: GuardSituation,
  { streams, keys, request, sleep }: GuardActionContext
): Promise<void> => {
  try {
    switch (action.kind) {
      case 'ResolveStreamKey':
        s.streamKeyArn = await keyArnOf(keys, action.keyId, request);
        return;
      case 'ReadGuardTags':
        s.tags = await streams.tags(request.streamArn);
        return;
      case 'GuardTagPresent':
        s.guardTag = { status: 'Present', value: action.value, error: null };
        return;
      case 'SetGuardTag':
        // The tag opens the stream to writes: a key another caller applied may be milliseconds old, and records
        // written up to 5 s after ACTIVE may be stored unencrypted. The sweep finds streams encrypted long ago.
        if (request.trigger !== Trigger.Sweep) await sleep(SETTLE_SECONDS * 1000);
        await streams.tag(request.streamArn, { [GUARD_TAG_KEY]: action.value });
        s.guardTag = { status: 'Set', value: action.value, error: null };
        return;
      case 'RemoveGuardTag':
        await streams.untag(request.streamArn, [GUARD_TAG_KEY]);
        s.guardTag = { status: 'Removed', value: null, error: null };
        return;
    }
  } catch (error) {
    const failure = asAutoEncryptError(error);
    if (failure.retryable) {
      throw new RetryableError(`Guard tag ${GUARD_TAG_KEY}: ${failure.message} (${request.streamArn})`, {
        cause: failure,
      });
    }
    const value = action.kind === 'SetGuardTag' ? action.value : null;
    s.guardTag = { status: 'Failed', value, error: errorSummary(failure) };
  }
};
