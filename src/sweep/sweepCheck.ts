import type { StreamWithArn } from '../aws/streamArnsOf';
import { checkStream, type SweepTarget, sweepRequestOf } from '../cli/checkStream';
import { runLedgers } from '../cli/runLedgers';
import { AutoEncryptError } from '../domain/errors';
import { Outcome } from '../domain/outcome';
import { type ReconcileDependencies, reconcile } from '../domain/reconcile';
import { Mode } from '../domain/streamPolicy';
import { GUARD_TAG_KEY, keepsGuardTag } from '../domain/writeGuard';
import { Compliance, type ReportStream } from '../report/report';
import { primedStreamPort } from './primedStreamPort';

/** The pipeline's reconcile dependencies without the per-account stream and key ports. */
export type PipelineDependencies = Omit<ReconcileDependencies, 'streams' | 'keys' | 'keyCheck' | 'maxWaitSeconds'>;

/** What every stream of one sweep step shares. */
export interface SweepCheckSettings {
  sweepId: string;
  startedAt: string;
  /** The default key of this step (resolved once: SSM parameter or configuration). */
  key: string;
  pipeline: PipelineDependencies;
  /** Seconds a CREATING / UPDATING stream is waited for by the hand-over. */
  maxWaitSeconds: number;
  signal: AbortSignal;
}

/** Compliance of a stream after the hand-over, by the reconciler's outcome ('Confirming': key applied). */
const COMPLIANCE: Record<string, Compliance> = {
  [Outcome.AlreadyCompliant]: Compliance.Compliant,
  [Outcome.Encrypted]: Compliance.Compliant,
  [Outcome.NonCompliant]: Compliance.NonCompliant,
  [Outcome.Exempt]: Compliance.Exempt,
  [Outcome.Skipped]: Compliance.Skipped,
  Confirming: Compliance.NonCompliant,
};

/**
 * One stream of a deployed sweep: read and judged in audit mode (as the CLI's `audit`: bulk-read tags, nothing
 * changed); a stream that is not compliant is handed to the pipeline's own reconcile path (its ledger, key budget,
 * confirm state machine and completion event) in the deployment's mode, with the state just read and the step's
 * bulk-read tags, so a stream costs one DescribeStreamSummary. The row
 * says what the hand-over started: outcome `Confirming` when a key was applied (the state machine confirms it
 * and publishes `Stream Encrypted`).
 */
export const sweepCheck = async (
  target: SweepTarget,
  stream: StreamWithArn,
  settings: SweepCheckSettings
): Promise<ReportStream> => {
  const { pipeline } = settings;
  const row = await checkStream(target, stream, {
    command: 'audit',
    sweepId: settings.sweepId,
    startedAt: settings.startedAt,
    key: settings.key,
    policy: { ...pipeline.policy, mode: Mode.Audit },
    ...runLedgers(),
    maxWaitSeconds: 0,
    confirmTimeoutSeconds: 0,
    signal: settings.signal,
  });
  // Write guard (issue 22): a Compliant stream whose bulk-read tags lack the guard tag is handed over too; its
  // reconcile sets the tag (and publishes its Already Compliant completion). Minimal hook: the sweep engine decides.
  const lacksGuardTag =
    row.compliance === Compliance.Compliant &&
    keepsGuardTag(pipeline.writeGuard, pipeline.policy.mode) &&
    target.tags !== undefined &&
    target.tags.get(stream.arn)?.[GUARD_TAG_KEY] === undefined;
  if ((row.compliance !== Compliance.NonCompliant && !lacksGuardTag) || pipeline.policy.mode === Mode.Audit) return row;
  const request = sweepRequestOf(target, stream, settings);
  const found = { status: row.status ?? '', encryptionType: row.encryptionType ?? '', keyId: row.keyId ?? undefined };
  try {
    const result = await reconcile(request, {
      ...pipeline,
      ...target.ports,
      streams: primedStreamPort(target.ports.streams, stream.arn, {
        ...found,
        ...(row.createdAt !== null && { createdAt: row.createdAt }),
      }),
      maxWaitSeconds: settings.maxWaitSeconds,
    });
    const changed = result.outcome === 'Confirming';
    return {
      ...row,
      outcome: result.outcome,
      compliance: COMPLIANCE[result.outcome] ?? Compliance.Failed,
      reason: changed
        ? `handed to the confirm state machine (${result.executionName}): ${result.reason}`
        : result.reason,
      changed,
      error: null,
    };
  } catch (error) {
    const failure = error instanceof AutoEncryptError ? error : new AutoEncryptError(String(error), { cause: error });
    return {
      ...row,
      outcome: Outcome.Failed,
      compliance: Compliance.Failed,
      reason: `hand-over failed: ${failure.message}`,
      error: { name: failure.name, message: failure.message },
    };
  }
};
