import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { z } from 'zod/mini';
import { createMetrics, publishCompletionMetrics, publishSweepMetrics } from '../src/aws/completionMetricsPublisher';
import { Outcome } from '../src/domain/outcome';
import { SWEEP_COMPLETED } from '../src/sweep/sweepCompletedDetail';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const metrics = createMetrics();
const regionDimension = process.env.DEPLOYMENT === 'org';

const nullableString = z.nullable(z.string());
const nullableNumber = z.nullable(z.number());
/** The fields of a completion event the metrics read (src/completion/completion-event.schema.json). */
const completionEvent = z.object({
  id: z.string(),
  detail: z.object({
    outcome: z.enum(Object.values(Outcome)),
    reason: z.optional(z.string()),
    streamArn: z.optional(nullableString),
    trigger: z.optional(nullableString),
    account: nullableString,
    region: nullableString,
    eventId: nullableString,
    streamName: nullableString,
    encryptionType: z.optional(nullableString),
    streamStatus: z.optional(nullableString),
    timeToEncryptedMs: z.optional(nullableNumber),
    exposureMs: z.optional(nullableNumber),
    error: z.optional(z.nullable(z.object({ name: z.string() }))),
  }),
});

/** The fields of `Sweep Completed` the metrics read (src/completion/sweep-completed.schema.json). */
const sweepCompletedEvent = z.object({
  'detail-type': z.literal(SWEEP_COMPLETED),
  detail: z.object({
    sweepId: z.string(),
    streamsChecked: z.number().check(z.int(), z.nonnegative()),
    nonCompliantFound: z.number().check(z.int(), z.nonnegative()),
  }),
});

/**
 * Triggers (CloudTrail eventID, else the EventBridge id) this instance already counted: one trigger ends with one
 * completion, but EventBridge delivers at least once and a duplicate Rejected trigger is published again.
 */
const seen = new Set<string>();
const SEEN_MAX = 10_000;

/** True the first time this instance sees `key`. */
const firstTime = (key: string): boolean => {
  if (seen.has(key)) return false;
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.add(key);
  return true;
};

/**
 * EventBridge target for every completion event (the function's and the state machine's): writes its metrics as EMF
 * (src/metrics/metricNames.ts), and for `Sweep Completed` (StreamsChecked, NonCompliantFound). A second completion of the
 * same trigger (or sweep) is not counted again by the same instance.
 */
export const handler = async (event: unknown, context: Context): Promise<{ counted: boolean }> => {
  logger.addContext(context);
  metrics.captureColdStartMetric(context.functionName);
  const sweep = sweepCompletedEvent.safeParse(event);
  if (sweep.success) {
    const { sweepId, streamsChecked, nonCompliantFound } = sweep.data.detail;
    if (!firstTime(`sweep:${sweepId}`)) return { counted: false };
    publishSweepMetrics(metrics, { streamsChecked, nonCompliantFound });
    return { counted: true };
  }
  const parsed = completionEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn('Not a completion event; not counted', { issues: parsed.error.issues.slice(0, 5) });
    return { counted: false };
  }
  const { id, detail } = parsed.data;
  if (!firstTime(`${detail.outcome}:${detail.eventId ?? id}`)) {
    logger.info('Completion already counted', { id, eventId: detail.eventId });
    return { counted: false };
  }
  publishCompletionMetrics(
    metrics,
    {
      ...detail,
      trigger: detail.trigger ?? null,
      encryptionType: detail.encryptionType ?? null,
      streamStatus: detail.streamStatus ?? null,
      timeToEncryptedMs: detail.timeToEncryptedMs ?? null,
      exposureMs: detail.exposureMs ?? null,
      error: detail.error ?? null,
    },
    { regionDimension }
  );
  return { counted: true };
};
