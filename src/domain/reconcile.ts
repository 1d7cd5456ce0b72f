import { setTimeout } from 'node:timers/promises';
import { acceptsOtherKeys, Compliance } from './compliance';
import { complianceOf } from './complianceOf';
import type { ConfirmationInput } from './confirmationInput';
import { type Action, decide, desiredKeyOf, type FinishAction, type Situation, validTagKeyOf } from './decide';
import { asAutoEncryptError, errorSummary } from './errorSummary';
import { RetryableError } from './errors';
import { executionNameFor } from './executionNameFor';
import { type GuardSituation, guardStep, performGuardAction } from './guardTag';
import { type KeyCheck, type KeyPort, sameKey } from './keyCheck';
import { Outcome } from './outcome';
import type { ApplyLedger, ConfirmationPort, KeyApplicationLedger, KeyIdSource, ReportPort, StreamPort } from './ports';
import { reasonText } from './reason';
import type { Policy } from './streamPolicy';
import { type StreamRequest, Trigger } from './streamRequest';
import { keepsGuardTag, type WriteGuard } from './writeGuard';

/** Ports and settings the reconciler needs. */
export interface ReconcileDependencies {
  streams: StreamPort;
  keys: KeyPort;
  keyCheck: KeyCheck;
  keyIdSource: KeyIdSource;
  ledger: ApplyLedger;
  applications: KeyApplicationLedger;
  confirmations: ConfirmationPort;
  reports: ReportPort;
  policy: Policy;
  eventBusName: string;
  /** Ask the state machine for the PutRecord probe after confirmation. */
  probeAfterConfirm: boolean;
  /** Upper bound for waiting on a CREATING / UPDATING stream in this invocation. */
  maxWaitSeconds: number;
  /** Stage parameter `writeGuard`: keep the guard tag `kinesis-auto-encrypt:encrypted` (default `off`). */
  writeGuard?: WriteGuard;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** What one invocation ended with. `Confirming` means the state machine will publish the outcome. */
export interface ReconcileResult {
  outcome: Outcome | 'Confirming';
  /** The reason with the setting that decided, as the deployment names it (`mode=audit`). */
  reason: string;
  /** The stream's compliance when the reconcile finished; NonCompliant while a key is being confirmed. */
  compliance: Compliance;
  streamArn: string;
  executionName?: string;
}

/** Steps per invocation: a normal reconcile takes 5–8; the bound only stops a bug from spinning. */
const MAX_STEPS = 40;
/** Guard tag steps before one action: resolve the key ARN, read the tags, set or remove. */
const MAX_GUARD_STEPS = 4;

/** Which rules decided: the mode, and whether the desired key came from the stream's key tag. */
const policyOf = (s: Situation): ConfirmationInput['policy'] => ({
  mode: s.policy.mode,
  keySource: validTagKeyOf(s) === undefined ? 'default' : 'tag',
});

/**
 * Brings one stream to its desired encryption: asks {@link decide} for the next step, performs it,
 * and repeats until the decision finishes (report published here), hands over to the confirm state
 * machine, or asks for a retry.
 * @throws {RetryableError} when the trigger must come back (throttling, still CREATING, report undelivered)
 */
export const reconcile = async (request: StreamRequest, deps: ReconcileDependencies): Promise<ReconcileResult> => {
  const now = deps.now ?? (() => new Date());
  const deadline = Date.now() + deps.maxWaitSeconds * 1000;
  const waitSeconds = (): number => Math.max(0, Math.floor((deadline - Date.now()) / 1000));
  const sleep = deps.sleep ?? ((ms: number) => setTimeout(ms));
  const s: GuardSituation = {
    policy: deps.policy,
    writeGuard: deps.writeGuard,
    canWait: deps.maxWaitSeconds > 0,
    applyAttempts: 0,
    iacEngine: request.iacEngine,
    triggerTime: request.eventTime,
    trigger: request.trigger,
    actor: request.actor,
    // CreateStream carries the stream's tags when the caller set them: no ListTagsForStream then.
    tags: request.tags,
  };

  const finish = async ({
    outcome,
    reason,
    decidedBy,
    error,
    invalidateKey,
    exemption,
  }: FinishAction): Promise<ReconcileResult> => {
    const keyId = desiredKeyOf(s);
    if (invalidateKey === true && keyId !== undefined) deps.keyCheck.invalidate(keyId);
    const compliance = complianceOf(s);
    await deps.reports.report({
      request,
      outcome,
      compliance,
      reason,
      ...(decidedBy !== undefined && { decidedBy }),
      keyId: keyId ?? null,
      policy: policyOf(s),
      exemption,
      state: s.stream ?? undefined,
      error: error ?? null,
      confirmedAt: outcome === Outcome.AlreadyCompliant ? now().toISOString() : null,
      ...(s.guardTag !== undefined && { guardTag: s.guardTag }),
    });
    return { outcome, reason: reasonText(reason, decidedBy), compliance, streamArn: request.streamArn };
  };

  const confirm = async (keyId: string, appliedAt: string): Promise<ReconcileResult> => {
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
      trigger: request.trigger,
      ...(request.actor !== undefined && { actor: request.actor }),
      policy: policyOf(s),
      otherKeyCompliance:
        s.tags !== undefined && acceptsOtherKeys(s.policy, s.tags) ? Compliance.Compliant : Compliance.NonCompliant,
    };
    // Write guard: the state machine tags the stream once confirmed and settled (issue 22).
    if (keepsGuardTag(deps.writeGuard, s.policy.mode)) {
      input.writeGuard = deps.writeGuard as NonNullable<ConfirmationInput['writeGuard']>;
      if (s.key?.usable === true) input.keyArn = s.key.facts.keyArn;
    }
    let started: boolean;
    try {
      started = await deps.confirmations.start(executionName, input);
    } catch (error) {
      const failure = asAutoEncryptError(error);
      if (failure.retryable) throw failure;
      return finish({
        kind: 'Finish',
        outcome: Outcome.Failed,
        reason: `Encryption applied, but its confirmation could not start: ${failure.message}`,
        error: errorSummary(failure),
      });
    }
    const reason = started ? 'encryption applied; confirmation started' : 'confirmation already running';
    return {
      outcome: 'Confirming',
      reason,
      compliance: Compliance.NonCompliant,
      streamArn: request.streamArn,
      executionName,
    };
  };

  const perform = async (action: Action): Promise<void> => {
    switch (action.kind) {
      case 'ResolveKey':
        s.defaultKeyId = (
          await deps.keyIdSource.resolve({
            partition: request.partition,
            account: request.account,
            region: request.region,
          })
        ).keyId;
        return;
      case 'ReadTags':
        s.tags = await deps.streams.tags(request.streamArn);
        return;
      case 'CheckKey':
        s.key = await deps.keyCheck.check(action.keyId, request);
        return;
      case 'ReadStream':
        s.stream = (await deps.streams.describe(request.streamArn)) ?? null;
        s.keyMatches = undefined;
        s.applied = undefined;
        return;
      case 'Settle': {
        const settled = await deps.streams.waitUntilSettled(request.streamArn, waitSeconds());
        if (settled === 'Timeout') s.canWait = false;
        else s.stream = settled ?? null;
        return;
      }
      case 'Grace':
        // The engine applies its own key right after ACTIVE: give it the stream, then read again.
        await sleep(Math.round(Math.min(action.seconds, waitSeconds()) * 1000));
        s.graceWaited = true;
        s.stream = undefined;
        return;
      case 'CompareKeys':
        s.keyMatches = await sameKey(deps.keys, action.streamKeyId, action.keyId);
        return;
      case 'ReadLedger':
        s.applied = (await deps.ledger.get(request.eventId)) ?? null;
        return;
      case 'ReadApplications':
        s.applications = await deps.applications.list(request.streamArn);
        s.now = now();
        return;
      case 'Apply': {
        const record = { eventId: request.eventId, streamArn: request.streamArn, keyId: action.keyId };
        const applied = { ...record, appliedAt: now().toISOString() };
        await deps.ledger.put(applied);
        // Counted before the call: a failed call over-counts (safe), a crash after it never under-counts.
        const application = {
          at: applied.appliedAt,
          keyId: action.keyId,
          eventId: request.eventId,
          by: 'pipeline',
          trigger: request.trigger,
          ...(request.actor !== undefined && { actor: request.actor }),
        };
        await deps.applications.record(request.streamArn, application);
        s.applyAttempts += 1;
        await deps.streams.startEncryption(request.streamArn, action.keyId);
        s.appliedNow = applied;
        return;
      }
      default:
        return;
    }
  };

  // Another caller applied a key: one of the stream's 25 per 24 h, whoever spent it.
  if (request.trigger === Trigger.StartStreamEncryption && request.appliedKeyId !== undefined) {
    await deps.applications.record(request.streamArn, {
      at: request.eventTime,
      keyId: request.appliedKeyId,
      eventId: request.eventId,
      by: request.actor ?? 'unknown',
    });
  }

  for (let step = 0; step < MAX_STEPS; step++) {
    const action = decide(s);
    s.failure = undefined;
    // The guard tag follows the decision: set while Compliant, removed before an apply or once it is not.
    for (let guard = 0, next = guardStep(s, action); next !== undefined && guard < MAX_GUARD_STEPS; guard++) {
      await performGuardAction(next, s, { streams: deps.streams, keys: deps.keys, request, sleep });
      next = guardStep(s, action);
    }
    if (action.kind === 'Finish') return finish(action);
    if (action.kind === 'Confirm') return confirm(action.keyId, action.appliedAt);
    if (action.kind === 'Retry') {
      throw new RetryableError(`${action.reason} (${request.streamArn})`, { cause: action.cause });
    }
    try {
      await perform(action);
    } catch (error) {
      s.failure = asAutoEncryptError(error);
      s.failedStep = action.kind;
      if (action.kind === 'ResolveKey' && !s.failure.retryable) s.defaultKeyFailure = s.failure;
    }
  }
  throw new RetryableError(`No decision for ${request.streamArn} after ${MAX_STEPS} steps; will retry`);
};
