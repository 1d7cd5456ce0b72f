import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/**
 * The bench's pass-through target for the sweep function (issue 21 item 9): run by the same sweep state machine,
 * it publishes `Sweep Completed` at once and answers `done`, checking no stream. What it measures is what the local
 * cloud itself adds to a sweep (the state machine, the invocation, PutEvents).
 */
const events = new EventBridgeClient({ maxAttempts: 5 });

export const handler = async (): Promise<{ step: number; done: boolean }> => {
  await events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'kinesis-auto-encrypt',
          DetailType: 'Sweep Completed',
          EventBusName: process.env.EVENT_BUS_NAME ?? 'default',
          Detail: JSON.stringify({
            sweepId: `pass-through-${Date.now()}`,
            accountRegions: [],
            steps: 1,
            changed: 0,
            durationMs: 0,
            apiCalls: {},
          }),
        },
      ],
    })
  );
  return { step: 1, done: true };
};
