import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { z } from 'zod/mini';
import { createMetrics, publishCompletionMetrics, publishSweepMetrics } from '../src/aws/completionMetricsPublisher';
import { completionEventSchema } from '../src/completion/completionDetail';
import { EVENT_SOURCE } from '../src/domain/outcome';
import { SWEEP_COMPLETED, sweepCompletedDetailSchema } from '../src/sweep/sweepCompletedDetail';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kinesis-auto-encrypt' });
const metrics = createMetrics();
const regionDimension = process.env.DEPLOYMENT === 'org';

/** The id EventBridge gives every event it delivers (what a detail without eventId is counted by). */
const delivered = z.looseObject({ id: z.string() });
/** A completion event as published (src/completion/completion-event.schema.json), as EventBridge delivers it. */
const completionEvent = z.intersection(delivered, completionEventSchema);
/** `Sweep Completed` as published (src/completion/sweep-completed.schema.json). */
const sweepCompletedEvent = z.looseObject({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.literal(SWEEP_COMPLETED),
  detail: sweepCompletedDetailSchema,
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
  publishCompletionMetrics(metrics, detail, { regionDimension });
  return { counted: true };
};
