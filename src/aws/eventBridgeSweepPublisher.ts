import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { RetryableError } from '../domain/errors';
import { EVENT_SOURCE } from '../domain/outcome';
import { SWEEP_COMPLETED, type SweepCompletedDetail } from '../sweep/sweepCompletedDetail';
import { serviceFailure } from './serviceFailure';

/** Publishes the one `Sweep Completed` event of a sweep on the completion bus; a failed entry is an error. */
export const publishSweepCompleted = async (
  client: EventBridgeClient,
  eventBusName: string,
  detail: SweepCompletedDetail
): Promise<void> => {
  const entry = {
    Source: EVENT_SOURCE,
    DetailType: SWEEP_COMPLETED,
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
  };
  let failed: number;
  let code: string | undefined;
  try {
    const output = await client.send(new PutEventsCommand({ Entries: [entry] }));
    failed = output.FailedEntryCount ?? 0;
    code = output.Entries?.[0]?.ErrorCode;
  } catch (error) {
    throw serviceFailure(error, 'events:PutEvents', eventBusName);
  }
  if (failed > 0) throw new RetryableError(`PutEvents rejected the Sweep Completed event: ${code}`);
};
