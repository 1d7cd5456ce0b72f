import {
  AddTagsToStreamCommand,
  DescribeStreamSummaryCommand,
  type EncryptionType,
  KinesisClient,
  KinesisServiceException,
  RemoveTagsFromStreamCommand,
  ResourceNotFoundException,
  StartStreamEncryptionCommand,
  type StreamStatus,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { KinesisStreamPort } from '../../../src/aws/kinesisStreamPort';
import { AccessDeniedError, StreamBusyError, StreamNotFoundError, ThrottledError } from '../../../src/domain/failures';
import { streamSummary } from '../../helpers/streamSummary';

const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const kinesis = mockClient(KinesisClient);
const status = (streamStatus: StreamStatus, encryptionType?: EncryptionType, keyId?: string) =>
  streamSummary(ARN, streamStatus, encryptionType, keyId);

describe('KinesisStreamPort', () => {
  const client = new KinesisClient({ region: 'us-east-1', maxAttempts: 1 });
  const port = new KinesisStreamPort(client, client, { minDelay: 1, maxDelay: 1 });

  afterEach(() => {
    kinesis.reset();
  });

  it.each([
    [
      status('ACTIVE', 'KMS', 'alias/a'),
      { status: 'ACTIVE', encryptionType: 'KMS', keyId: 'alias/a', createdAt: '2026-11-25T10:00:00.400Z' },
    ],
    [
      status('CREATING'),
      { status: 'CREATING', encryptionType: 'NONE', keyId: undefined, createdAt: '2026-11-25T10:00:00.400Z' },
    ],
  ])('describes a stream by ARN', async (response, expected) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(response);

    // Act
    const state = await port.describe(ARN);

    // Assess
    expect(state).toEqual(expected);
    expect(kinesis).toHaveReceivedCommandWith(DescribeStreamSummaryCommand, { StreamARN: ARN });
  });

  it('returns undefined for a missing stream and rethrows other errors', async () => {
    // Prepare
    kinesis
      .on(DescribeStreamSummaryCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'gone', $metadata: {} }))
      .rejects(
        new KinesisServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'no', $metadata: {} })
      );

    // Act & Assess
    await expect(port.describe(ARN)).resolves.toBeUndefined();
    await expect(port.describe(ARN)).rejects.toThrow(AccessDeniedError);
    await expect(port.describe(ARN)).rejects.toMatchObject({ code: 'AccessDeniedException', cause: { message: 'no' } });
  });

  it('polls until the stream settles', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolvesOnce(status('CREATING')).resolves(status('ACTIVE', 'NONE'));

    // Act
    const settled = await port.waitUntilSettled(ARN, 10);

    // Assess
    expect(settled).toEqual({
      status: 'ACTIVE',
      encryptionType: 'NONE',
      keyId: undefined,
      createdAt: '2026-11-25T10:00:00.400Z',
    });
    expect(kinesis).toHaveReceivedCommandTimes(DescribeStreamSummaryCommand, 2);
  });

  it('reports a timeout without polling when the budget is below the first delay', async () => {
    // Act
    const settled = await port.waitUntilSettled(ARN, 0);

    // Assess
    expect(settled).toBe('Timeout');
    expect(kinesis).not.toHaveReceivedCommand(DescribeStreamSummaryCommand);
  });

  it('reports a timeout when the stream stays busy', async () => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).resolves(status('UPDATING'));

    // Act
    const settled = await port.waitUntilSettled(ARN, 3);

    // Assess
    expect(settled).toBe('Timeout');
  });

  it('starts encryption with StreamARN, KMS and the KeyId', async () => {
    // Prepare
    kinesis.on(StartStreamEncryptionCommand).resolves({});

    // Act
    await port.startEncryption(ARN, 'alias/aws/kinesis');

    // Assess
    expect(kinesis).toHaveReceivedCommandWith(StartStreamEncryptionCommand, {
      StreamARN: ARN,
      EncryptionType: 'KMS',
      KeyId: 'alias/aws/kinesis',
    });
  });

  it.each([
    {
      call: 'tag',
      act: () => port.tag(ARN, { 'kinesis-auto-encrypt:encrypted': 'arn:aws:kms:us-east-1:123456789012:key/k' }),
      assess: () => {
        expect(kinesis).toHaveReceivedCommandTimes(AddTagsToStreamCommand, 1);
        expect(kinesis).toHaveReceivedCommandWith(AddTagsToStreamCommand, {
          StreamARN: ARN,
          Tags: { 'kinesis-auto-encrypt:encrypted': 'arn:aws:kms:us-east-1:123456789012:key/k' },
        });
      },
    },
    {
      call: 'untag',
      act: () => port.untag(ARN, ['kinesis-auto-encrypt:encrypted']),
      assess: () => {
        expect(kinesis).toHaveReceivedCommandTimes(RemoveTagsFromStreamCommand, 1);
        expect(kinesis).toHaveReceivedCommandWith(RemoveTagsFromStreamCommand, {
          StreamARN: ARN,
          TagKeys: ['kinesis-auto-encrypt:encrypted'],
        });
      },
    },
  ])('$call sends its tag command with the StreamARN', async ({ act, assess }) => {
    // Prepare
    kinesis.on(AddTagsToStreamCommand).resolves({});
    kinesis.on(RemoveTagsFromStreamCommand).resolves({});

    // Act
    await act();

    // Assess
    assess();
  });

  // AddTagsToStream / RemoveTagsFromStream errors (Kinesis API reference: ResourceInUse, ResourceNotFound,
  // LimitExceeded, AccessDenied, InvalidArgument): https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html
  it.each([
    { name: 'LimitExceededException', expected: ThrottledError, retryable: true },
    { name: 'ResourceInUseException', expected: StreamBusyError, retryable: true },
    { name: 'ResourceNotFoundException', expected: StreamNotFoundError, retryable: false },
    { name: 'AccessDeniedException', expected: AccessDeniedError, retryable: false },
  ])('translates $name of a tag call into $expected.name', async ({ name, expected, retryable }) => {
    // Prepare
    const error = new KinesisServiceException({
      name,
      $fault: 'client',
      message: `${name} from Kinesis`,
      $metadata: {},
    });
    kinesis.on(AddTagsToStreamCommand).rejects(error);
    kinesis.on(RemoveTagsFromStreamCommand).rejects(error);

    // Act
    const failures = await Promise.all([
      port.tag(ARN, { k: 'v' }).catch((thrown: unknown) => thrown),
      port.untag(ARN, ['k']).catch((thrown: unknown) => thrown),
    ]);

    // Assess
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(expected);
      expect(failure).toMatchObject({ retryable, code: name });
    }
  });
});
