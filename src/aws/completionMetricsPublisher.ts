import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type CompletionFacts, completionMetrics } from '../metrics/completionMetrics';
import { Dimension, METRICS_NAMESPACE, MetricName, SERVICE_NAME, type Unit } from '../metrics/metricNames';

/** Powertools Metrics of this service: namespace KinesisAutoEncrypt, default dimension `service`. */
export const createMetrics = (serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME): Metrics =>
  new Metrics({ namespace: METRICS_NAMESPACE, serviceName });

const UNITS: Record<Unit, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  Seconds: MetricUnit.Seconds,
};

/**
 * Writes the EMF lines of one completion event: one metric set with dimension `service` (account, region, stream and
 * event id as properties), `Compliance` with `compliance`, `Failed` again with `reason`, and with `regionDimension`
 * (organisation) the outcome again with `region`.
 */
export const publishCompletionMetrics = (
  metrics: Metrics,
  detail: CompletionFacts,
  options: { regionDimension: boolean }
): void => {
  const { values, failureReason, compliance, properties } = completionMetrics(detail);
  for (const { name, unit, value } of values) metrics.addMetric(name, UNITS[unit], value);
  for (const [key, value] of Object.entries(properties)) metrics.addMetadata(key, value);
  metrics.publishStoredMetrics();
  const byCompliance = metrics.singleMetric();
  byCompliance.addDimension(Dimension.compliance, compliance);
  byCompliance.addMetric(MetricName.Compliance, MetricUnit.Count, 1);
  if (failureReason !== undefined) {
    // A single metric is written at once, with the default dimensions and its own.
    const byReason = metrics.singleMetric();
    byReason.addDimension(Dimension.reason, failureReason);
    byReason.addMetric(MetricName.Failed, MetricUnit.Count, 1);
  }
  if (options.regionDimension && detail.region !== null) {
    const byRegion = metrics.singleMetric();
    byRegion.addDimension(Dimension.region, detail.region);
    byRegion.addMetric(detail.outcome, MetricUnit.Count, 1);
  }
};

/** What one sweep run found (src/sweep). */
export interface SweepTotals {
  streamsChecked: number;
  nonCompliantFound: number;
}

/** Writes the EMF line of one sweep run (dimension `service`). */
export const publishSweepMetrics = (metrics: Metrics, totals: SweepTotals): void => {
  metrics.addMetric(MetricName.StreamsChecked, MetricUnit.Count, totals.streamsChecked);
  metrics.addMetric(MetricName.NonCompliantFound, MetricUnit.Count, totals.nonCompliantFound);
  metrics.publishStoredMetrics();
};
