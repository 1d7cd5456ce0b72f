import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamSummaryCommand,
  ListTagsForStreamCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { handler } from '../../../handlers/encrypt-stream';
import { defaultKeyPolicy } from '../../../tools/dev';
import { createStreamEvent, lambdaContext } from '../../helpers/createStreamEvent';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { usableKeyMetadata } from '../../helpers/kmsKeyMetadata';
import { streamSummary } from '../../helpers/streamSummary';
import { FUNCTION_ROLE_ARN, STATE_MACHINE_ARN, STATE_MACHINE_ROLE_ARN } from './handlerEnvironment';

// userIdentity of a role session in CloudTrail: sessionContext.sessionIssuer.arn is the role
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
const ACCOUNT = '123456789012';
const STREAM_ARN = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/orders`;
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const mocks = handlerClientMocks();
const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = mocks;
const context = () => lambdaContext() as unknown as Context;
const allCalls = (): number =>
  [kinesis, kms, sfn, events, dynamoDb, documents, mocks.ssm].reduce((sum, stub) => sum + stub.calls().length, 0);

const sessionOf = (roleArn: string) => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleArn.split('/').pop()}/session`,
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: ACCOUNT } },
});
const trigger = (eventName: string, requestParameters: Record<string, unknown>, userIdentity?: unknown) =>
  createStreamEvent({ detail: { eventName, requestParameters, ...(userIdentity !== undefined && { userIdentity }) } });

describe('encrypt-stream handler: triggers', () => {
  beforeEach(() => {
    fakeIdempotencyTable(dynamoDb, documents);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: usableKeyMetadata(KEY_ARN),
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: defaultKeyPolicy(ACCOUNT), PolicyName: 'default' });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date() });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    kinesis.on(StartStreamEncryptionCommand).resolves({});
    kinesis.on(ListTagsForStreamCommand).resolves({ Tags: [], HasMoreTags: false });
  });

  afterEach(() => {
    reset();
  });

  it.each([
    ['the function role', 'StartStreamEncryption', { streamName: 'orders' }, sessionOf(FUNCTION_ROLE_ARN)],
    ['the state machine role', 'StartStreamEncryption', { streamARN: STREAM_ARN }, sessionOf(STATE_MACHINE_ROLE_ARN)],
    ['a team tag', 'AddTagsToStream', { streamName: 'orders', tags: { team: 'analytics' } }, undefined],
    ['a team tag removed', 'RemoveTagsFromStream', { streamName: 'orders', tagKeys: ['team'] }, undefined],
    [
      'a consumer (TagResource)',
      'TagResource',
      { resourceARN: `${STREAM_ARN}/consumer/app:1700000000`, tags: { 'kinesis-auto-encrypt:exempt': 'true' } },
      undefined,
    ],
  ])('ignores a call of %s with zero AWS calls and no completion event', async (_label, name, parameters, identity) => {
    // Prepare
    const event = trigger(name, parameters, identity);

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result).toEqual({ outcome: 'Ignored', reason: expect.any(String) });
    expect(allCalls()).toBe(0);
  });

  it('re-encrypts after a StopStreamEncryption named only by streamARN', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE', 'NONE'));
    const event = trigger('StopStreamEncryption', { streamARN: STREAM_ARN, encryptionType: 'KMS', keyId: KEY_ARN });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(kinesis).toHaveReceivedCommandWith(StartStreamEncryptionCommand, { StreamARN: STREAM_ARN });
  });

  it.each([
    ['RemoveTagsFromStream', { streamName: 'orders', tagKeys: ['kinesis-auto-encrypt:exempt'] }],
    // The newer tagging API (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html).
    ['UntagResource', { resourceARN: STREAM_ARN, tagKeys: ['kinesis-auto-encrypt:exempt'] }],
  ])('reads the tags with ListTagsForStream after a policy tag was removed by %s', async (name, parameters) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary(STREAM_ARN, 'ACTIVE', 'NONE'));
    const event = trigger(name, parameters);

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(ListTagsForStreamCommand, 1);
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
  });

  it('rejects a StopStreamEncryption on a stream ARN of another account, applying nothing', async () => {
    // Prepare
    const event = trigger('StopStreamEncryption', {
      streamARN: 'arn:aws:kinesis:eu-west-1:210987654321:stream/orders',
    });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Rejected');
    expect(kinesis.calls()).toHaveLength(0);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });
});
