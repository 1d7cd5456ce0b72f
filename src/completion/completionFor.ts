import { reasonText } from '../domain/reason';
import type { ReconcileReport } from '../domain/reconcileReport';
import { completionBase } from './completionBase';
import { type CompletionDetail, encryptionTypeOf, streamStatusOf } from './completionDetail';

/** Builds the full completion detail of a reconcile the function decided on itself. */
export const completionFor = (report: ReconcileReport): CompletionDetail => {
  const { request } = report;
  const confirmedAt = report.confirmedAt ?? null;
  const { version, ...base } = completionBase({
    ...request,
    keyId: report.keyId,
    streamCreatedAt: request.eventTime,
    appliedAt: report.appliedAt ?? null,
    trigger: request.trigger,
    actor: request.actor ?? null,
    policy: report.policy,
  });
  return {
    version,
    outcome: report.outcome,
    compliance: report.compliance,
    // The pipeline's reader sets deployment parameters: a deciding setting is named as one (mode=audit).
    reason: reasonText(report.reason, report.decidedBy),
    ...base,
    streamStatus: streamStatusOf(report.state?.status),
    encryptionType: encryptionTypeOf(report.state?.encryptionType),
    streamKeyId: report.state?.keyId ?? null,
    timestamps: { ...base.timestamps, confirmedAt },
    timeToEncryptedMs:
      confirmedAt === null ? null : Math.max(0, Date.parse(confirmedAt) - Date.parse(request.eventTime)),
    error: report.error ?? null,
    ...(report.exemption !== undefined && { exemption: report.exemption }),
    ...(report.guardTag !== undefined && { guardTag: report.guardTag }),
  };
};
