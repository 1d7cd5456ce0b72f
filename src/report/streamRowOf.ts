import { Compliance } from '../domain/compliance';
import type { ConfirmationInput } from '../domain/confirmationInput';
import { errorSummary } from '../domain/errorSummary';
import type { AutoEncryptError } from '../domain/errors';
import { Outcome } from '../domain/outcome';
import type { StreamState } from '../domain/ports';
import { reasonText, type SettingNames } from '../domain/reason';
import type { ReconcileReport } from '../domain/reconcileReport';
import { type StreamRequest, Trigger } from '../domain/streamRequest';
import { asCliFlag } from './cliSettingNames';
import { encryptionTypeOf, type ReportStream, RunOutcome } from './report';
import { severityOf } from './severity';

/** How waiting for a change ended: confirmed (ACTIVE, KMS, the key), or not and why. */
export type Confirmation =
  | { confirmed: true; state: StreamState; confirmedAt: string }
  | { confirmed: false; state: StreamState | undefined; reason: string; interrupted?: boolean };

/** What a run knows of one stream. */
export interface StreamFacts {
  request: StreamRequest;
  /** The reconciler's last report (a finished pass). */
  report?: ReconcileReport;
  /** A pass that could not finish (retryable failure twice). */
  error?: AutoEncryptError;
  /** The key applied by this run, and how waiting for it ended. */
  applied?: ConfirmationInput;
  confirmation?: Confirmation;
  /** State when the run first read the stream. */
  found?: StreamState;
  /** How the reader names the setting that decided (default: the CLI's flags; the deployed sweep: its parameters). */
  settingNames?: SettingNames;
  /** CloudWatch IncomingRecords over the last 24 h > 0; null or absent when not read. */
  receivingWrites?: boolean | null;
}

/**
 * The stream's compliance, whatever the outcome: the reconciler's judgement of the stream when it finished, a
 * confirmed change Compliant; a change not confirmed, or a pass that could not finish, judged by the state last read
 * (unencrypted: NonCompliant; anything else could not be judged).
 */
const complianceOf = (facts: StreamFacts, state: StreamState | undefined): Compliance => {
  if (facts.applied !== undefined && facts.confirmation !== undefined) {
    if (facts.confirmation.confirmed) return Compliance.Compliant;
  } else if (facts.report !== undefined) return facts.report.compliance;
  if (state === undefined) return Compliance.NotChecked;
  return state.encryptionType === 'KMS' ? Compliance.NotChecked : Compliance.NonCompliant;
};

const policyText = (policy: { mode: string; keySource: string } | undefined, outcome: string): string => {
  if (outcome === Outcome.Exempt) return 'exempt tag';
  if (policy === undefined) return '-';
  return `${policy.mode} / ${policy.keySource === 'tag' ? 'key tag' : 'default key'}`;
};

const exposureOf = (
  found: StreamState | undefined,
  confirmedAt: string | null,
  now: Date
): ReportStream['exposure'] => {
  if (found === undefined || found.encryptionType === 'KMS') return null;
  const from = found.createdAt ?? null;
  const end = confirmedAt === null ? now.getTime() : Date.parse(confirmedAt);
  return {
    from,
    to: confirmedAt,
    seconds: from === null ? null : Math.max(0, Math.round((end - Date.parse(from)) / 1000)),
  };
};

/** Since when a stream found unencrypted has been so: the decryption that triggered this pass, else its creation. */
const exposedSinceOf = (request: StreamRequest, found: StreamState | undefined): string | null => {
  if (found === undefined || found.encryptionType === 'KMS') return null;
  if (request.trigger === Trigger.StopStreamEncryption) return request.eventTime;
  return found.createdAt ?? null;
};

/** The report row of one stream, from what the run learnt about it. */
export const streamRowOf = (facts: StreamFacts, now = new Date()): ReportStream => {
  const { request, report, error, applied, confirmation, found } = facts;
  let outcome: ReportStream['outcome'] =
    report?.outcome ?? (error === undefined ? RunOutcome.NotChecked : Outcome.Failed);
  let reason =
    report === undefined
      ? (error?.message ?? 'not checked: the run was interrupted first')
      : reasonText(report.reason, report.decidedBy, facts.settingNames ?? asCliFlag);
  let state = report?.state ?? found;
  let confirmedAt: string | null = null;
  if (applied !== undefined && confirmation !== undefined) {
    state = confirmation.state ?? state;
    if (confirmation.confirmed) {
      outcome = Outcome.Encrypted;
      confirmedAt = confirmation.confirmedAt;
      reason = `applied ${applied.keyId} and confirmed: ACTIVE, KMS, the key`;
    } else {
      outcome = RunOutcome.Unconfirmed;
      reason = `applied ${applied.keyId}; ${confirmation.reason}`;
    }
  }
  const compliance = complianceOf(facts, state);
  const receivingWrites = facts.receivingWrites ?? null;
  const failure = report?.error ?? (error === undefined ? null : errorSummary(error));
  return {
    account: request.account,
    region: request.region,
    streamName: request.streamName,
    streamArn: request.streamArn,
    status: state?.status ?? null,
    encryptionType: encryptionTypeOf(state?.encryptionType),
    keyId: state?.keyId ?? null,
    desiredKeyId: applied?.keyId ?? report?.keyId ?? null,
    outcome,
    compliance,
    severity: severityOf(compliance, receivingWrites),
    receivingWrites,
    exposedSince: exposedSinceOf(request, found ?? report?.state),
    enforceWouldRefuse: null,
    createdBy: null,
    fixCommand: '',
    reason,
    policy: policyText(applied?.policy ?? report?.policy, outcome),
    exemptionReason: report?.exemption?.reason ?? null,
    createdAt: state?.createdAt ?? found?.createdAt ?? null,
    changed: applied !== undefined,
    lastChange: confirmedAt,
    exposure: exposureOf(found, confirmedAt, now),
    error: failure === null ? null : { name: failure.name, message: failure.message },
  };
};
