import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeStreamSummaryCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { createStreamEvent, lambdaContext } from '../../helpers/createStreamEvent';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { streamSummary } from '../../helpers/streamSummary';

process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
// Loaded after the log level is set: the logger reads it at cold start.
const { handler } = require('../../../handlers/encrypt-stream') as typeof import('../../../handlers/encrypt-stream');

const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = handlerClientMocks();
const SECRETS = [
  /ASIAEXAMPLEACCESSKEY/,
  /203\.0\.113\.7/,
  /alice@example\.com/,
  /aws-cli\/2/,
  /userIdentity/,
  /AROAEXAMPLEID/,
];

describe('logs', () => {
  let output: string[] = [];

  beforeEach(() => {
    output = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    fakeIdempotencyTable(dynamoDb, documents);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        Arn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
      },
    });
    kinesis
      .on(DescribeStreamSummaryCommand)
      .resolves(streamSummary('arn:aws:kinesis:eu-west-1:123456789012:stream/orders', 'ACTIVE'));
    kinesis.on(StartStreamEncryptionCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    reset();
  });

  it.each([
    ['an encrypted stream', createStreamEvent(), () => sfn.on(StartExecutionCommand).resolves({})],
    ['a failed hand-over', createStreamEvent(), () => sfn.on(StartExecutionCommand).rejects(new Error('boom'))],
    ['a rejected event', createStreamEvent({ detail: { eventName: 'DeleteStream' } }), () => undefined],
  ])('carry the eventID and stream ARN but no identity for %s', async (_label, event, arrange) => {
    // Prepare
    arrange();

    // Act
    await handler(event, lambdaContext() as unknown as Context).catch(() => undefined);

    // Assess
    const logs = output.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(logs).not.toMatch(secret);
    expect(logs).toContain(event.detail.eventID);
  });
});
