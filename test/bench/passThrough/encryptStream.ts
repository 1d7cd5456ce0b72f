import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/**
 * The bench's pass-through target for the pipeline's function (issue 21 item 9): invoked by the same rule with the
 * same transformed CloudTrail event, it publishes the completion at once, doing none of the pipeline's work. What
 * it measures is what the local cloud itself adds (delivery, invocation, PutEvents) on the same load.
 */
const events = new EventBridgeClient({ maxAttempts: 5 });

interface TransformedEvent {
  account?: string;
  region?: string;
  detail?: { requestParameters?: { streamName?: string } | null };
}

export const handler = async (event: TransformedEvent): Promise<void> => {
  await events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'kinesis-auto-encrypt',
          DetailType: 'Stream Encrypted',
          EventBusName: process.env.EVENT_BUS_NAME ?? 'default',
          Detail: JSON.stringify({
            account: event.account,
            region: event.region,
            streamName: event.detail?.requestParameters?.streamName,
            outcome: 'PassThrough',
          }),
        },
      ],
    })
  );
};
