import './handlerEnvironment';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { handler } from '../../../handlers/encrypt-stream';
import { lambdaContext } from '../../helpers/createStreamEvent';
import { hostileEvents } from '../../helpers/hostileEvents';

const kinesis = mockClient(KinesisClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);
const dynamoDb = mockClient(DynamoDBClient);
const events = mockClient(EventBridgeClient);
const corpus = hostileEvents(100);

describe('100 malformed or hostile events', () => {
  beforeEach(() => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  });

  afterEach(() => {
    for (const stub of [kinesis, kms, sfn, dynamoDb, events]) stub.reset();
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
