import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeCompletionPort } from '../../../src/aws/eventBridgeCompletionPort';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { DetailType, EVENT_SOURCE } from '../../../src/domain/outcome';

const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders';
const BUS = 'governance';
const events = mockClient(EventBridgeClient);

const detail: CompletionDetail = {
  version: '3',
  trigger: 'CreateStream',
  actor: null,
  desiredKeyId: 'alias/org',
  policy: { mode: 'enforce', keySource: 'default' },
  exposureMs: null,
  outcome: 'Skipped',
  compliance: 'Compliant',
  reason: 'Stream orders uses the team key',
  eventId: 'd3b07384-d9a7-4e3b-8c5f-3a1e2f4b5c6d',
  streamArn: STREAM_ARN,
  streamName: 'orders',
  account: '111122223333',
  region: 'eu-west-1',
  keyId: 'alias/org',
  streamStatus: 'ACTIVE',
  encryptionType: 'KMS',
  streamKeyId: 'alias/team',
  timestamps: { streamCreatedAt: '2025-03-01T10:00:00Z', appliedAt: null, confirmedAt: null },
  timeToEncryptedMs: null,
  settleSeconds: 5,
  error: null,
};

describe('EventBridgeCompletionPort', () => {
  const port = new EventBridgeCompletionPort(new EventBridgeClient({ region: 'eu-west-1', maxAttempts: 1 }), BUS);

  afterEach(() => {
    events.reset();
  });

  it('publishes one entry on the bus with the stream as its resource', async () => {
    // Prepare
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await port.publish(detail);

    // Assess
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: DetailType.Skipped,
          Detail: JSON.stringify(detail),
          EventBusName: BUS,
          Resources: [STREAM_ARN],
        },
      ],
    });
  });

  // PutEvents answers HTTP 200 with FailedEntryCount > 0 when an entry is rejected: the caller must check it
  // (Amazon EventBridge API Reference, PutEvents: "FailedEntryCount", "Entries ... ErrorCode, ErrorMessage").
  it.each([
    { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' },
    { errorCode: 'InternalFailure', errorMessage: 'Internal service error' },
    { errorCode: 'AccessDeniedException', errorMessage: 'Not authorized for bus governance' },
  ])('throws when PutEvents answers FailedEntryCount 1 ($errorCode)', async ({ errorCode, errorMessage }) => {
    // Prepare
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: errorCode, ErrorMessage: errorMessage }],
    });

    // Act
    const publishing = port.publish(detail);

    // Assess
    await expect(publishing).rejects.toThrow(`PutEvents rejected the completion event: ${errorCode} ${errorMessage}`);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('translates an error of the call itself into a retryable domain error with the service code', async () => {
    // Prepare
    events.on(PutEventsCommand).rejects(
      Object.assign(new Error('Event bus governance does not exist.'), {
        name: 'ResourceNotFoundException',
      })
    );

    // Act
    const publishing = port.publish(detail);

    // Assess
    await expect(publishing).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: true });
  });
});
