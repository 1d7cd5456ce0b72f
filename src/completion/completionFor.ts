import { SETTLE_SECONDS } from '../domain/outcome';
import type { ReconcileReport } from '../domain/reconcileReport';
import type { CompletionDetail } from './completionDetail';

/** Builds the full completion detail of a reconcile the function decided on itself. */
export const completionFor = (report: ReconcileReport): CompletionDetail => {
  const { request } = report;
  const confirmedAt = report.confirmedAt ?? null;
  return {
    version: '1',
    outcome: report.outcome,
    reason: report.reason,
    eventId: request.eventId,
    streamArn: request.streamArn,
    streamName: request.streamName,
    account: request.account,
    region: request.region,
    keyId: report.keyId,
    streamStatus: report.state?.status ?? null,
    encryptionType: report.state?.encryptionType ?? null,
    streamKeyId: report.state?.keyId ?? null,
    timestamps: {
      streamCreatedAt: request.eventTime,
      appliedAt: report.appliedAt ?? null,
      confirmedAt,
    },
    timeToEncryptedMs:
      confirmedAt === null ? null : Math.max(0, Date.parse(confirmedAt) - Date.parse(request.eventTime)),
    settleSeconds: SETTLE_SECONDS,
    error: report.error ?? null,
    ...(report.exemption !== undefined && { exemption: report.exemption }),
  };
};
