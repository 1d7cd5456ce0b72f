import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  KinesisServiceException,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { KinesisStreamPort } from '../../../src/aws/kinesisStreamPort';
import { RetryableError } from '../../../src/domain/errors';
import {
  AccessDeniedError,
  KeyProblem,
  KeyUnusableError,
  LimitExceededError,
  RequestRejectedError,
  StreamBusyError,
  StreamNotFoundError,
  ThrottledError,
} from '../../../src/domain/failures';

const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const KEY = 'alias/org';
const kinesis = mockClient(KinesisClient);
const serviceError = (name: string, fault: 'client' | 'server' = 'client') =>
  new KinesisServiceException({ name, $fault: fault, message: `${name} from Kinesis`, $metadata: {} });

// Errors of StartStreamEncryption, Kinesis API reference:
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html#API_StartStreamEncryption_Errors
describe('KinesisStreamPort translates SDK errors into domain errors', () => {
  const client = new KinesisClient({ region: 'us-east-1', maxAttempts: 1 });
  const port = new KinesisStreamPort(client, client);

  afterEach(() => {
    kinesis.reset();
  });

  it.each<[string, new (...args: never[]) => Error, boolean, KeyProblem | undefined]>([
    ['KMSDisabledException', KeyUnusableError, false, KeyProblem.Disabled],
    ['KMSInvalidStateException', KeyUnusableError, false, KeyProblem.InvalidState],
    ['KMSAccessDeniedException', KeyUnusableError, false, KeyProblem.AccessDenied],
    ['KMSNotFoundException', KeyUnusableError, false, KeyProblem.NotFound],
    ['KMSOptInRequired', KeyUnusableError, false, KeyProblem.OptInRequired],
    ['KMSThrottlingException', ThrottledError, true, undefined],
    ['InvalidArgumentException', RequestRejectedError, false, undefined],
    ['LimitExceededException', LimitExceededError, false, undefined],
    ['ResourceInUseException', StreamBusyError, true, undefined],
    ['ResourceNotFoundException', StreamNotFoundError, false, undefined],
    ['AccessDeniedException', AccessDeniedError, false, undefined],
    ['InternalFailure', RetryableError, true, undefined],
  ])('StartStreamEncryption %s → %p (retryable %s)', async (name, type, retryable, problem) => {
    // Prepare
    kinesis.on(StartStreamEncryptionCommand).rejects(serviceError(name));

    // Act
    const error = await port.startEncryption(ARN, KEY).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ retryable, code: name, cause: expect.objectContaining({ name }) });
    if (problem !== undefined) expect(error).toMatchObject({ problem, keyId: KEY });
  });

  it.each([
    ['Rate exceeded for stream s under account 123456789012.', ThrottledError, true],
    ['Exceeded the number of key changes for stream s', LimitExceededError, false],
  ])('StartStreamEncryption LimitExceededException "%s" → %p', async (message, type, retryable) => {
    // Prepare: the rate limit shares the error name with the key budget (awslabs/amazon-kinesis-producer#257)
    kinesis
      .on(StartStreamEncryptionCommand)
      .rejects(
        new KinesisServiceException({ name: 'LimitExceededException', $fault: 'client', message, $metadata: {} })
      );

    // Act
    const error = await port.startEncryption(ARN, KEY).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ retryable });
  });

  it.each<[string, new (...args: never[]) => Error, boolean]>([
    // On reads LimitExceededException is the per-account rate (20 DescribeStreamSummary/s), not a budget:
    // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html
    ['LimitExceededException', ThrottledError, true],
    ['AccessDeniedException', AccessDeniedError, false],
    ['InternalFailure', RetryableError, true],
  ])('DescribeStreamSummary %s → %p (retryable %s)', async (name, type, retryable) => {
    // Prepare
    kinesis.on(DescribeStreamSummaryCommand).rejects(serviceError(name));

    // Act
    const error = await port.describe(ARN).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ retryable, code: name });
  });
});
