import { type StreamRequest, Trigger } from '../domain/streamRequest';
import type { SweepTarget } from './checkStream';

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
