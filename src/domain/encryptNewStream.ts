import { completionFor, errorSummary } from '../completion/completionFor';
import type { CreateStreamRequest } from '../events/createStreamRequest';
import type { ConfirmationInput } from './confirmationInput';
import { RetryableError } from './errors';
import { executionNameFor } from './executionNameFor';
import type { KeyCheck } from './keyCheck';
import { Outcome } from './outcome';
import type {
  ApplyLedger,
  CompletionPort,
  ConfirmationPort,
  KeyIdSource,
  KeyPort,
  StreamPort,
  StreamState,
} from './ports';
import { startEncryptionOutcome } from './startEncryptionOutcome';

/** Ports and settings the decision needs. */
export interface EncryptDependencies {
  streams: StreamPort;
  keys: KeyPort;
  keyCheck: KeyCheck;
  keyIdSource: KeyIdSource;
  ledger: ApplyLedger;
  confirmations: ConfirmationPort;
  completions: CompletionPort;
  eventBusName: string;
  /** Replace a team's own KMS key with the default (costs one of the stream's 25 key changes per 24 h). */
  overrideForeignKeys: boolean;
  /** Ask the state machine for the PutRecord probe after confirmation. */
  probeAfterConfirm: boolean;
  /** Upper bound for waiting on a CREATING / UPDATING stream in this invocation. */
  maxWaitSeconds: number;
  now?: () => Date;
}

/** What one invocation ended with. `Confirming` means the state machine will publish the outcome. */
export interface EncryptResult {
  outcome: Outcome | 'Confirming';
  reason: string;
  streamArn: string;
  executionName?: string;
}

/** Rounds of describe → decide; ResourceInUse on apply or a stream that turns busy again starts a new one. */
const MAX_ROUNDS = 4;

/**
 * Encrypts the stream of a successful CreateStream with the default key, deciding from the
 * stream's real state: waits while CREATING/UPDATING, never re-applies a key the stream already has,
 * leaves a team's own key alone unless configured, checks the key before applying, then hands over
 * to the confirm state machine. Outcomes decided here are published here.
 * @throws {RetryableError} when the event should come back later (throttling, still CREATING, KMS unavailable)
 */
export const encryptNewStream = async (
  request: CreateStreamRequest,
  deps: EncryptDependencies
): Promise<EncryptResult> => {
  const now = deps.now ?? (() => new Date());
  const deadline = Date.now() + deps.maxWaitSeconds * 1000;
  const finish = async (
    outcome: Outcome,
    reason: string,
    extra: { keyId?: string; state?: StreamState; error?: { name: string; message: string } } = {}
  ): Promise<EncryptResult> => {
    await deps.completions.publish(
      completionFor(request, {
        outcome,
        reason,
        keyId: extra.keyId ?? null,
        state: extra.state,
        error: extra.error ?? null,
        confirmedAt: outcome === Outcome.AlreadyCompliant ? now().toISOString() : null,
      })
    );
    return { outcome, reason, streamArn: request.streamArn };
  };

  let keyId: string;
  try {
    ({ keyId } = await deps.keyIdSource.resolve());
  } catch (error) {
    if (error instanceof RetryableError) throw error;
    return finish(Outcome.Failed, `No usable default KMS key: ${errorSummary(error).message}`, {
      error: errorSummary(error),
    });
  }

  const verdict = await deps.keyCheck.check(keyId);
  if (!verdict.usable) return finish(Outcome.Failed, verdict.reason, { keyId, error: verdict.error });

  const confirm = async (appliedAt: string): Promise<EncryptResult> => {
    const executionName = executionNameFor(request.eventId);
    const input: ConfirmationInput = {
      eventId: request.eventId,
      streamArn: request.streamArn,
      streamName: request.streamName,
      account: request.account,
      region: request.region,
      keyId,
      eventBusName: deps.eventBusName,
      streamCreatedAt: request.eventTime,
      appliedAt,
      applyLatencyMs: Math.max(0, Math.round(Date.parse(appliedAt) - Date.parse(request.eventTime))),
      probe: deps.probeAfterConfirm,
    };
    const started = await deps.confirmations.start(executionName, input);
    return {
      outcome: 'Confirming',
      reason: started ? 'encryption applied; confirmation started' : 'confirmation already running',
      streamArn: request.streamArn,
      executionName,
    };
  };

  const waitSeconds = (): number => Math.max(0, Math.floor((deadline - Date.now()) / 1000));

  for (let round = 0; round < MAX_ROUNDS; round++) {
    let state = await deps.streams.describe(request.streamArn);
    if (state?.status === 'CREATING' || state?.status === 'UPDATING') {
      const settled = await deps.streams.waitUntilSettled(request.streamArn, waitSeconds());
      if (settled === 'Timeout') {
        throw new RetryableError(
          `Stream ${request.streamArn} still ${state.status} after waiting; the event will be retried`
        );
      }
      state = settled;
    }
    if (state === undefined) {
      return finish(Outcome.Skipped, 'Stream not found: deleted before it could be encrypted', { keyId });
    }
    if (state.status === 'DELETING') {
      return finish(Outcome.Skipped, 'Stream is being deleted', { keyId, state });
    }
    if (state.status !== 'ACTIVE') continue;

    if (state.encryptionType === 'KMS' && state.keyId !== undefined) {
      if (await sameKey(deps.keys, state.keyId, keyId)) {
        const applied = await deps.ledger.get(request.eventId);
        if (applied !== undefined) return confirm(applied.appliedAt);
        return finish(Outcome.AlreadyCompliant, `Stream already encrypted with ${state.keyId}; no call made`, {
          keyId,
          state,
        });
      }
      if (!deps.overrideForeignKeys) {
        return finish(
          Outcome.Skipped,
          `Stream is encrypted with another KMS key (${state.keyId}); left as is (OVERRIDE_FOREIGN_KEYS=false)`,
          { keyId, state }
        );
      }
    }

    const appliedAt = now().toISOString();
    await deps.ledger.put({ eventId: request.eventId, streamArn: request.streamArn, keyId, appliedAt });
    try {
      await deps.streams.startEncryption(request.streamArn, keyId);
    } catch (error) {
      const decision = startEncryptionOutcome(error, { keyId, streamArn: request.streamArn });
      if (decision.kind === 'Retry') throw new RetryableError(decision.reason, { cause: error });
      if (decision.kind === 'DecideAgain') continue;
      if (decision.invalidatesKey) deps.keyCheck.invalidate(keyId);
      const failure = decision.outcome === Outcome.Failed ? errorSummary(error) : undefined;
      return finish(decision.outcome, decision.reason, { keyId, state, error: failure });
    }
    return confirm(appliedAt);
  }
  throw new RetryableError(`Stream ${request.streamArn} stayed busy through ${MAX_ROUNDS} attempts; will retry`);
};

/** Same key when the KeyIds are equal or both resolve to the same key ARN. */
const sameKey = async (keys: KeyPort, streamKeyId: string, expected: string): Promise<boolean> => {
  if (streamKeyId === expected) return true;
  try {
    const [a, b] = await Promise.all([keys.describeKey(streamKeyId), keys.describeKey(expected)]);
    return a.keyArn === b.keyArn;
  } catch {
    return false;
  }
};
