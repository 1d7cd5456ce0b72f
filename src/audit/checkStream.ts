import { setTimeout } from 'node:timers/promises';
import type { ConfirmationInput } from '../domain/confirmationInput';
import { AutoEncryptError } from '../domain/errors';
import { Outcome } from '../domain/outcome';
import type { ApplyLedger, KeyApplicationLedger, KeyIdSource, StreamPorts } from '../domain/ports';
import type { SettingNames } from '../domain/reason';
import { type ReconcileResult, reconcile } from '../domain/reconcile';
import type { ReconcileReport } from '../domain/reconcileReport';
import { Mode, type Policy } from '../domain/streamPolicy';
import { type StreamRequest, Trigger } from '../domain/streamRequest';
import { guardRefusesWrite } from '../guard/guardRefusesWrite';
import type { ReportStream } from '../report/report';
import { streamRowOf } from '../report/streamRowOf';
import { confirmChange } from './confirmChange';

/** One account and region being swept: its ports and, when read in bulk, every stream's tags by ARN. */
export interface SweepTarget {
  account: string;
  region: string;
  partition: string;
  ports: StreamPorts;
  tags?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * The reconcile request of a swept stream: trigger `Sweep`, idempotency key from the sweep id and the stream ARN,
 * and the stream's tags when the target read them in bulk (a stream without tags then has `{}`).
 */
export const sweepRequestOf = (
  target: SweepTarget,
  stream: { name: string; arn: string },
  settings: { sweepId: string; startedAt: string }
): StreamRequest => {
  const tags = target.tags === undefined ? undefined : (target.tags.get(stream.arn) ?? {});
  return {
    eventId: `sweep-${settings.sweepId}:${stream.arn}`,
    eventTime: settings.startedAt,
    trigger: Trigger.Sweep,
    account: target.account,
    region: target.region,
    partition: target.partition,
    streamName: stream.name,
    streamArn: stream.arn,
    ...(tags !== undefined && { tags }),
  };
};

/** Settings shared by every stream of a run. */
export interface CheckSettings {
  command: 'audit' | 'sweep';
  sweepId: string;
  startedAt: string;
  /** The default key per account and region (a key map, the default), resolved for each stream as the pipeline does. */
  keyIdSource: KeyIdSource;
  /** The pipeline's rules (mode is set per pass). */
  policy: Policy;
  ledger: ApplyLedger;
  applications: KeyApplicationLedger;
  /** Seconds a CREATING / UPDATING stream is waited for before it is read again later. */
  maxWaitSeconds: number;
  confirmTimeoutSeconds: number;
  signal: AbortSignal;
  /** Called when a key was applied (before its confirmation). */
  onChanged?: () => void;
  /** How the rows name the setting that decided (default: the CLI's flags). */
  settingNames?: SettingNames;
}

/** What one pass of the reconciler left: its report (finished) or the confirmation it asked for. */
interface Pass {
  report?: ReconcileReport;
  confirmation?: ConfirmationInput;
  result?: ReconcileResult;
  error?: AutoEncryptError;
}

const runPass = async (request: StreamRequest, mode: Mode, target: SweepTarget, settings: CheckSettings) => {
  const pass: Pass = {};
  const deps = {
    ...target.ports,
    keyIdSource: settings.keyIdSource,
    ledger: settings.ledger,
    applications: settings.applications,
    confirmations: {
      start: async (_name: string, input: ConfirmationInput) => {
        pass.confirmation = input;
        return true;
      },
    },
    reports: {
      report: async (report: ReconcileReport) => {
        pass.report = report;
      },
    },
    policy: { ...settings.policy, mode },
    eventBusName: 'none',
    probeAfterConfirm: false,
    maxWaitSeconds: settings.maxWaitSeconds,
  };
  // A retryable failure (throttled after the SDK's retries, still CREATING) is tried once more, then reported.
  for (let attempt = 1; ; attempt++) {
    try {
      pass.result = await reconcile(request, deps);
      return pass;
    } catch (error) {
      pass.error = error instanceof AutoEncryptError ? error : new AutoEncryptError(String(error), { cause: error });
      if (attempt >= 2 || settings.signal.aborted) return pass;
      await setTimeout(2000);
    }
  }
};

/** The row with what the write guard's enforce would do to the stream's writes, from the tags read in bulk. */
const withGuardVerdict = (row: ReportStream, request: StreamRequest, settings: CheckSettings): ReportStream => ({
  ...row,
  enforceWouldRefuse:
    request.tags === undefined
      ? null
      : guardRefusesWrite(request.tags, { allowExemptions: settings.policy.allowExemptions }),
});

/**
 * Checks one stream with the reconciler, the same decision as every pipeline trigger (trigger `Sweep`, event id
 * from the sweep id and the stream ARN): first in audit mode (nothing changes; bulk-read tags used when given);
 * then, for `sweep` and a non-compliant stream only, in enforce mode with its tags read again (exemption and key
 * tags as of now), and waits for the change to be confirmed (ACTIVE, KMS, the key).
 */
export const checkStream = async (
  target: SweepTarget,
  stream: { name: string; arn: string },
  settings: CheckSettings
): Promise<ReportStream> => {
  const request = sweepRequestOf(target, stream, settings);
  const { settingNames } = settings;
  const audit = await runPass(request, Mode.Audit, target, settings);
  const found = audit.report?.state;
  if (settings.command === 'audit' || audit.report?.outcome !== Outcome.NonCompliant) {
    return withGuardVerdict(
      streamRowOf({ request, report: audit.report, error: audit.error, found, settingNames }),
      request,
      settings
    );
  }
  const { tags: _bulk, ...fresh } = request;
  const enforce = await runPass(fresh, Mode.Enforce, target, settings);
  const applied = enforce.confirmation;
  if (applied === undefined) {
    return withGuardVerdict(
      streamRowOf({ request, report: enforce.report, error: enforce.error, found, settingNames }),
      request,
      settings
    );
  }
  settings.onChanged?.();
  const confirmation = await confirmChange(target.ports, stream.arn, applied.keyId, {
    timeoutSeconds: settings.confirmTimeoutSeconds,
    signal: settings.signal,
  });
  return withGuardVerdict(streamRowOf({ request, applied, confirmation, found }), request, settings);
};

/** A stream the run never read (interrupted first). */
export const notCheckedRow = (
  target: SweepTarget,
  stream: { name: string; arn: string },
  settings: CheckSettings
): ReportStream => {
  const request = sweepRequestOf(target, stream, settings);
  return withGuardVerdict(streamRowOf({ request }), request, settings);
};
