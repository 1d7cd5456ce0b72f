import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { handler } from '../../../handlers/encrypt-stream';
import { lambdaContext } from '../../helpers/createStreamEvent';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { hostileEvents } from '../../helpers/hostileEvents';

const { kinesis, sfn, dynamoDb, events, reset } = handlerClientMocks();
const corpus = hostileEvents(100);

describe('100 malformed or hostile events', () => {
  beforeEach(() => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  });

  afterEach(() => {
    reset();
  });

  it('has 100 distinct cases', () => {
    // Assess
    expect(corpus).toHaveLength(100);
  });

  it.each(corpus)('$label → Rejected, kept in the event, no apply', async ({ event }) => {
    // Act
    const result = await handler(event, lambdaContext() as unknown as Context);

    // Assess
    expect(result.outcome).toBe('Rejected');
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ Source: 'kinesis-auto-encrypt', DetailType: 'Event Rejected' });
    expect(entry?.Detail?.length).toBeLessThan(64_000);
    const detail = JSON.parse(entry?.Detail ?? '{}');
    expect(detail.issues.length).toBeGreaterThan(0);
    expect(detail.issues[0].path).toEqual(expect.any(String));
    expect(kinesis.calls()).toHaveLength(0);
    expect(dynamoDb.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });
});
