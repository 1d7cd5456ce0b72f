import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamSummaryCommand,
  type EncryptionType,
  KinesisServiceException,
  ResourceNotFoundException,
  StartStreamEncryptionCommand,
  type StreamStatus,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, GetKeyPolicyCommand, type KeyMetadata, NotFoundException } from '@aws-sdk/client-kms';
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { handler } from '../../../handlers/encrypt-stream';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { defaultKeyPolicy } from '../../../tools/dev';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { createStreamEvent, lambdaContext } from '../../helpers/createStreamEvent';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { streamSummary } from '../../helpers/streamSummary';
import { KEY, STATE_MACHINE_ARN } from './handlerEnvironment';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';

const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = handlerClientMocks();

const summary = (status: StreamStatus, encryptionType: EncryptionType = 'NONE', keyId?: string) =>
  streamSummary(STREAM_ARN, status, encryptionType, keyId);
const usableKey = {
  KeyMetadata: {
    KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    Arn: KEY_ARN,
    Enabled: true,
    KeyState: 'Enabled',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyManager: 'CUSTOMER',
  },
} as const;
const kinesisError = (name: string) =>
  new KinesisServiceException({ name, $fault: 'client', message: `${name} raised`, $metadata: {} });
const published = (): CompletionDetail[] =>
  events.commandCalls(PutEventsCommand).map((call) => {
    const entry = call.args[0].input.Entries?.[0];
    const detail = JSON.parse(entry?.Detail ?? '{}');
    expect(
      completionEventErrors({ source: String(entry?.Source), 'detail-type': String(entry?.DetailType), detail })
    ).toEqual([]);
    return detail;
  });
const context = () => lambdaContext() as unknown as Context;

describe('encrypt-stream handler', () => {
  beforeEach(() => {
    fakeIdempotencyTable(dynamoDb, documents);
    kms.on(DescribeKeyCommand).resolves(usableKey);
    kms.on(GetKeyPolicyCommand).resolves({ Policy: defaultKeyPolicy('123456789012'), PolicyName: 'default' });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date() });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    kinesis.on(StartStreamEncryptionCommand).resolves({});
  });

  afterEach(() => {
    reset();
  });

  it('encrypts an ACTIVE unencrypted stream by ARN and starts the confirmation', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    const event = createStreamEvent({ eventId: 'evt-active' });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(kinesis).toHaveReceivedCommandWith(StartStreamEncryptionCommand, {
      StreamARN: STREAM_ARN,
      EncryptionType: 'KMS',
      KeyId: KEY,
    });
    expect(kinesis.commandCalls(StartStreamEncryptionCommand)[0]?.args[0].input).not.toHaveProperty('StreamName');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'evt-active',
    });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(input).toMatchObject({
      eventId: 'evt-active',
      streamArn: STREAM_ARN,
      keyId: KEY,
      eventBusName: 'governance',
      account: '123456789012',
      region: 'eu-west-1',
      streamCreatedAt: '2026-11-25T10:00:00Z',
    });
    expect(input.applyLatencyMs).toBeGreaterThanOrEqual(0);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('waits while the stream is CREATING, never skipping it', async () => {
    // Prepare
    kinesis
      .on(DescribeStreamSummaryCommand)
      .resolvesOnce(summary('CREATING'))
      .resolvesOnce(summary('CREATING'))
      .resolves(summary('ACTIVE'));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(DescribeStreamSummaryCommand, 3);
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
  });

  it('fails retryably when the stream is still CREATING at the end of the wait budget', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('CREATING'));
    const shortContext = lambdaContext('123456789012', 'eu-west-1', 20_500) as unknown as Context;

    // Act & Assess
    await expect(handler(createStreamEvent(), shortContext)).rejects.toThrow(/still CREATING/);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  // A stream being deleted is not judged: compliance NotChecked.
  it.each([
    ['same key as configured', summary('ACTIVE', 'KMS', KEY), 'AlreadyCompliant', 'Compliant'],
    ['same key by another name', summary('ACTIVE', 'KMS', KEY_ARN), 'AlreadyCompliant', 'Compliant'],
    ['a team key', summary('ACTIVE', 'KMS', 'alias/team-key'), 'Skipped', 'Compliant'],
    ['DELETING', summary('DELETING'), 'Skipped', 'NotChecked'],
  ])('does not apply when the stream has %s', async (_label, state, outcome, compliance) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(state);
    kms.on(DescribeKeyCommand, { KeyId: 'alias/team-key' }).resolves({
      KeyMetadata: { ...usableKey.KeyMetadata, Arn: `${KEY_ARN.slice(0, -4)}ffff` },
    });

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(published()).toEqual([expect.objectContaining({ outcome, compliance, streamArn: STREAM_ARN, keyId: KEY })]);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ Source: 'kinesis-auto-encrypt', EventBusName: 'governance' })],
    });
  });

  it('skips a stream that no longer exists', async () => {
    // Prepare
    kinesis
      .on(DescribeStreamSummaryCommand)
      .rejects(new ResourceNotFoundException({ message: 'Stream orders not found', $metadata: {} }));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Skipped');
    expect(published()[0]?.reason).toMatch(/not found/);
  });

  it('waits for UPDATING and decides again from the settled state', async () => {
    // Prepare
    kinesis
      .on(DescribeStreamSummaryCommand)
      .resolvesOnce(summary('UPDATING'))
      .resolves(summary('ACTIVE', 'KMS', KEY));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('AlreadyCompliant');
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
  });

  it.each<[string, Partial<KeyMetadata>, RegExp]>([
    ['disabled', { Enabled: false, KeyState: 'Disabled' }, /state is Disabled/],
    ['pending deletion', { Enabled: false, KeyState: 'PendingDeletion' }, /state is PendingDeletion/],
    ['asymmetric', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, /not SYMMETRIC_DEFAULT/],
  ])('fails without applying when the key is %s', async (_label, metadata, reason) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { ...usableKey.KeyMetadata, ...metadata } });

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(result.reason).toMatch(reason);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(published()[0]).toMatchObject({ outcome: 'Failed', keyId: KEY, error: { name: 'KeyNotUsable' } });
  });

  it("fails without applying when the key policy would lock the account's producers out", async () => {
    // Prepare: the policy lets one admin role manage the key and nobody use it through Kinesis
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kms.on(GetKeyPolicyCommand).resolves({
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Admins only',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:role/KeyAdmin' },
            Action: ['kms:Describe*', 'kms:Put*'],
            Resource: '*',
          },
        ],
      }),
    });

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(result.reason).toMatch(/cannot serve the stream's producers and consumers/);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(published()[0]?.error?.name).toBe('KeyPolicyDenies');
  });

  it('fails without applying when the key does not exist', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Alias not found', $metadata: {} }));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(result.reason).toMatch(/does not exist/);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
  });

  it.each([
    ['InvalidArgumentException', 'Failed'],
    ['LimitExceededException', 'Failed'],
    ['KMSDisabledException', 'Failed'],
    ['KMSInvalidStateException', 'Failed'],
    ['KMSAccessDeniedException', 'Failed'],
    ['KMSNotFoundException', 'Failed'],
    ['KMSOptInRequired', 'Failed'],
    ['AccessDeniedException', 'Failed'],
    ['ResourceNotFoundException', 'Skipped'],
  ])('ends StartStreamEncryption %s as %s after exactly one call', async (name, outcome) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kinesis.on(StartStreamEncryptionCommand).rejects(kinesisError(name));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe(outcome);
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(published()).toHaveLength(1);
    if (outcome === 'Failed') expect(published()[0]?.error?.name).toBe(name);
  });

  it('decides again after ResourceInUse instead of failing', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kinesis.on(StartStreamEncryptionCommand).rejectsOnce(kinesisError('ResourceInUseException')).resolves({});

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 2);
  });

  it('treats ExecutionAlreadyExists as a started confirmation', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    const result = await handler(createStreamEvent(), context());

    // Assess
    expect(result).toMatchObject({ outcome: 'Confirming', reason: 'confirmation already running' });
  });

  it('confirms instead of applying again when a crash hit between apply and hand-over', async () => {
    // Prepare
    const event = createStreamEvent({ eventId: 'evt-crash' });
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    sfn.on(StartExecutionCommand).rejectsOnce(new Error('Runtime exited')).resolves({});
    await expect(handler(event, context())).rejects.toThrow('Runtime exited');
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE', 'KMS', KEY));

    // Act
    const retried = await handler(event, context());

    // Assess
    expect(retried.outcome).toBe('Confirming');
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('throws without touching the stream when the idempotency store is unavailable', async () => {
    // Prepare
    dynamoDb
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }));
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));

    // Act & Assess
    await expect(handler(createStreamEvent(), context())).rejects.toThrow();
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it.each([
    ['KMSThrottlingException', /transiently/],
    ['ProvisionedThroughputExceededException', /transiently/],
  ])('fails retryably on %s (after the SDK retries) without publishing', async (name, message) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kinesis.on(StartStreamEncryptionCommand).rejects(kinesisError(name));

    // Act & Assess
    await expect(handler(createStreamEvent(), context())).rejects.toThrow(message);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('retries the control-plane rate limit and never stores it as a result: the redrive applies', async () => {
    // Prepare: Kinesis words its rate limit as a LimitExceededException (awslabs/amazon-kinesis-scaling-utils#52)
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    kinesis
      .on(StartStreamEncryptionCommand)
      .rejectsOnce(
        new KinesisServiceException({
          name: 'LimitExceededException',
          $fault: 'client',
          message: 'Rate exceeded for stream orders under account 123456789012.',
          $metadata: {},
        })
      )
      .resolves({});
    const event = createStreamEvent({ eventId: 'evt-rate' });

    // Act
    await expect(handler(event, context())).rejects.toThrow(/throttled/);
    const redrive = await handler(structuredClone(event), context());

    // Assess
    expect(redrive.outcome).toBe('Confirming');
    expect(published()).toEqual([]);
  });

  it('applies once for a duplicated event and returns the stored result', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(summary('ACTIVE'));
    const event = createStreamEvent({ eventId: 'evt-dup' });

    // Act
    const first = await handler(event, context());
    const second = await handler(structuredClone(event), context());

    // Assess
    expect(second).toEqual(first);
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it.each([
    ['a non-object', 'hello'],
    ['a failed CreateStream', createStreamEvent({ detail: { errorCode: 'LimitExceededException' } })],
    ['another eventName', createStreamEvent({ detail: { eventName: 'DeleteStream' } })],
    ['a missing eventID', createStreamEvent({ detail: { eventID: undefined } })],
    ['an invalid stream name', createStreamEvent({ streamName: '../../etc/passwd' })],
    ['a stream of another account', createStreamEvent({ account: '999999999999' })],
    ['a stream of another region', createStreamEvent({ region: 'us-east-1' })],
  ])('rejects %s with a Rejected event and no AWS call on the stream', async (_label, event) => {
    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Rejected');
    const [detail] = published();
    expect(detail).toMatchObject({ outcome: 'Rejected', error: { name: 'InvalidEventError' } });
    expect(detail?.issues?.length).toBeGreaterThan(0);
    expect(JSON.stringify(detail)).not.toMatch(/203\.0\.113\.7|ASIAEXAMPLEACCESSKEY|alice@example\.com/);
    expect(kinesis.calls()).toHaveLength(0);
    expect(dynamoDb.calls()).toHaveLength(0);
  });

  it('throws so the event is retried when the Rejected event cannot be published', async () => {
    // Prepare
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });

    // Act & Assess
    await expect(handler({ bogus: true }, context())).rejects.toThrow(/PutEvents rejected/);
  });
});
