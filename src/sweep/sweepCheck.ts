import { checkStream, type SweepTarget, sweepRequestOf } from '../audit/checkStream';
import { runLedgers } from '../audit/runLedgers';
import type { StreamWithArn } from '../aws/streamArnsOf';
import { Compliance } from '../domain/compliance';
import { AutoEncryptError } from '../domain/errors';
import { Outcome } from '../domain/outcome';
import { asDeploymentParameter } from '../domain/reason';
import { type ReconcileDependencies, reconcile } from '../domain/reconcile';
import { Mode } from '../domain/streamPolicy';
import { GUARD_TAG_KEY, type GuardTagResult, keepsGuardTag } from '../domain/writeGuard';
import { guardRefusesWrite } from '../guard/guardRefusesWrite';
import type { ReportStream } from '../report/report';
import { primedStreamPort } from './primedStreamPort';

/** The pipeline's reconcile dependencies without the per-account stream and key ports. */
export type PipelineDependencies = Omit<ReconcileDependencies, 'streams' | 'keys' | 'keyCheck' | 'maxWaitSeconds'>;

/** What every stream of one sweep step shares. */
export interface SweepCheckSettings {
  sweepId: string;
  startedAt: string;
  /** The pipeline's dependencies: its key source resolves each stream's default key (key map, then default). */
  pipeline: PipelineDependencies;
  /** Seconds a CREATING / UPDATING stream is waited for by the hand-over. */
  maxWaitSeconds: number;
  signal: AbortSignal;
}

/** enforceWouldRefuse once the hand-over set (or found) the guard tag, or removed it; as read otherwise. */
const guardVerdictAfter = (
  read: boolean | null,
  guardTag: GuardTagResult | undefined,
  tags: Readonly<Record<string, string>> | undefined,
  allowExemptions: boolean
): boolean | null => {
  if (guardTag?.status === 'Set' || guardTag?.status === 'Present') return false;
  if (guardTag?.status !== 'Removed' || tags === undefined) return read;
  const { [GUARD_TAG_KEY]: _removed, ...left } = tags;
  return guardRefusesWrite(left, { allowExemptions });
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
    keyIdSource: pipeline.keyIdSource,
    policy: { ...pipeline.policy, mode: Mode.Audit },
    ...runLedgers(),
    maxWaitSeconds: 0,
    confirmTimeoutSeconds: 0,
    signal: settings.signal,
    settingNames: asDeploymentParameter,
  });
  // Handed over: what enforce mode would change (not a stream whose key cannot be applied: NonCompliant, Failed), and
  // with the write guard (issue 22) a Compliant stream whose bulk-read tags lack the guard tag: its reconcile sets the
  // tag (and publishes its Already Compliant completion).
  const lacksGuardTag =
    row.compliance === Compliance.Compliant &&
    keepsGuardTag(pipeline.writeGuard, pipeline.policy.mode) &&
    target.tags !== undefined &&
    target.tags.get(stream.arn)?.[GUARD_TAG_KEY] === undefined;
  if ((row.outcome !== Outcome.NonCompliant && !lacksGuardTag) || pipeline.policy.mode === Mode.Audit) return row;
  const request = sweepRequestOf(target, stream, settings);
  const found = { status: row.status ?? '', encryptionType: row.encryptionType ?? '', keyId: row.keyId ?? undefined };
  // What the hand-over did with the guard tag (its report to the completion publisher says it).
  let guardTag: GuardTagResult | undefined;
  try {
    const result = await reconcile(request, {
      ...pipeline,
      reports: {
        report: (report) => {
          guardTag = report.guardTag ?? guardTag;
          return pipeline.reports.report(report);
        },
      },
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
      compliance: result.compliance,
      reason: changed
        ? `handed to the confirm state machine (${result.executionName}): ${result.reason}`
        : result.reason,
      changed,
      // Tagged now (prepare, enforce): enforce would no longer refuse its writes; removed: it would.
      enforceWouldRefuse: guardVerdictAfter(
        row.enforceWouldRefuse,
        guardTag,
        target.tags?.get(stream.arn),
        pipeline.policy.allowExemptions
      ),
      error: null,
    };
  } catch (error) {
    const failure = error instanceof AutoEncryptError ? error : new AutoEncryptError(String(error), { cause: error });
    return {
      ...row,
      outcome: Outcome.Failed,
      reason: `hand-over failed: ${failure.message}`,
      error: { name: failure.name, message: failure.message },
    };
  }
};
