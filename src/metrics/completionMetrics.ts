import type { CompletionDetail } from '../completion/completionDetail';
import type { Compliance } from '../domain/compliance';
import { Trigger } from '../domain/streamRequest';
import { type FailureReason, failureReasonOf, MetricName, Unit } from './metricNames';

/** One metric value of a metric set. */
interface MetricValue {
  name: MetricName;
  unit: Unit;
  value: number;
}

/** What one completion event is worth in metrics. */
export interface CompletionMetrics {
  /** Dimension `service` only. */
  values: MetricValue[];
  /** Failed only: counted again with dimension `reason`. */
  failureReason?: FailureReason;
  /** The stream's compliance: {@link MetricName.Compliance} counted once with dimension `compliance`. */
  compliance: Compliance;
  /** EMF properties (not dimensions): searchable in Logs Insights, no metric per value. */
  properties: Record<string, string>;
}

/** The fields of a completion detail the metrics read (any completion event, Lambda's or the state machine's). */
export type CompletionFacts = Pick<
  CompletionDetail,
  | 'outcome'
  | 'compliance'
  | 'reason'
  | 'trigger'
  | 'account'
  | 'region'
  | 'eventId'
  | 'streamName'
  | 'streamArn'
  | 'streamStatus'
  | 'encryptionType'
  | 'timeToEncryptedMs'
  | 'exposureMs'
  | 'error'
>;

const count = (name: MetricName): MetricValue => ({ name, unit: Unit.Count, value: 1 });

const DRIFT_TRIGGERS: ReadonlySet<string> = new Set([Trigger.StopStreamEncryption, Trigger.StartStreamEncryption]);

/**
 * The metrics of one completion event: its compliance and its outcome counted once each, plus what the outcome says
 * about time, exposure, drift, the key budget and flapping.
 */
export const completionMetrics = (detail: CompletionFacts): CompletionMetrics => {
  const values: MetricValue[] = [count(detail.outcome)];
  let failureReason: FailureReason | undefined;
  if (detail.outcome === 'Encrypted') {
    if (detail.timeToEncryptedMs !== null) {
      values.push({ name: MetricName.TimeToEncrypted, unit: Unit.Milliseconds, value: detail.timeToEncryptedMs });
    }
    if (detail.exposureMs !== null) {
      values.push({ name: MetricName.ExposureSeconds, unit: Unit.Seconds, value: detail.exposureMs / 1000 });
    }
    if (detail.trigger !== null && DRIFT_TRIGGERS.has(detail.trigger)) values.push(count(MetricName.DriftRepaired));
  }
  if (detail.outcome === 'Failed') {
    failureReason = failureReasonOf(detail.error?.name);
    if (failureReason === 'KeyBudgetReserved') values.push(count(MetricName.KeyBudgetLow));
    if (failureReason === 'Flapping') values.push(count(MetricName.Flapping));
    // Not confirmed ACTIVE with a KMS key (e.g. still UPDATING at ConfirmationTimedOut): unencrypted writes possible.
    if (detail.encryptionType !== 'KMS' || detail.streamStatus !== 'ACTIVE')
      values.push(count(MetricName.LeftUnencrypted));
  }
  const properties = Object.fromEntries(
    Object.entries({
      outcome: detail.outcome,
      compliance: detail.compliance,
      account: detail.account,
      region: detail.region,
      eventId: detail.eventId,
      streamName: detail.streamName,
      streamArn: detail.streamArn,
      trigger: detail.trigger,
      errorName: detail.error?.name,
      // The completion's reason, for Logs Insights (docs/queries); capped like a log field should be.
      why: detail.reason.slice(0, 512),
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  );
  return { values, ...(failureReason !== undefined && { failureReason }), compliance: detail.compliance, properties };
};
