import { DescribeKeyCommand, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsKeyPort } from '../../../src/aws/kmsKeyPort';
import { RetryableError } from '../../../src/domain/errors';
import { KeyProblem, KeyUnusableError, ThrottledError } from '../../../src/domain/failures';

const kms = mockClient(KMSClient);
const serviceError = (name: string) =>
  new KMSServiceException({ name, $fault: 'client', message: `${name} from KMS`, $metadata: {} });

// Errors of DescribeKey, AWS KMS API reference:
// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html#API_DescribeKey_Errors
describe('KmsKeyPort', () => {
  const port = new KmsKeyPort(new KMSClient({ region: 'us-east-1', maxAttempts: 1 }));

  afterEach(() => {
    kms.reset();
  });

  it('reads the facts the pre-flight needs', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        Arn: 'arn:aws:kms:us-east-1:123456789012:key/k',
        KeyState: 'Enabled',
        Enabled: true,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyManager: 'CUSTOMER',
      },
    });

    // Act
    const facts = await port.describeKey('alias/org');

    // Assess
    expect(facts).toEqual({
      keyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      keyState: 'Enabled',
      enabled: true,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyManager: 'CUSTOMER',
    });
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: 'alias/org' });
  });

  it.each<[string, KeyProblem, RegExp]>([
    ['NotFoundException', KeyProblem.NotFound, /does not exist/],
    ['AccessDeniedException', KeyProblem.Unreadable, /lacks kms:DescribeKey/],
    ['InvalidArnException', KeyProblem.InvalidArn, /not a valid key ARN/],
    ['DisabledException', KeyProblem.Disabled, /is disabled/],
  ])('translates %s into a KeyUnusableError (%s)', async (name, problem, message) => {
    // Prepare
    kms.on(DescribeKeyCommand).rejects(serviceError(name));

    // Act
    const error = await port.describeKey('alias/org').catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(KeyUnusableError);
    expect(error).toMatchObject({ problem, code: name, retryable: false, message: expect.stringMatching(message) });
  });

  it.each<[string, new (...args: never[]) => Error]>([
    ['ThrottlingException', ThrottledError],
    ['KMSInternalException', RetryableError],
    ['DependencyTimeoutException', RetryableError],
  ])('translates %s into a retryable error', async (name, type) => {
    // Prepare
    kms.on(DescribeKeyCommand).rejects(serviceError(name));

    // Act
    const error = await port.describeKey('alias/org').catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ retryable: true, code: name });
  });

  it('treats a response without metadata as a missing key', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).resolves({});

    // Act & Assess
    await expect(port.describeKey('alias/org')).rejects.toMatchObject({ problem: KeyProblem.NotFound });
  });
});
