import {
  GetKeyPolicyCommand,
  KMSClient,
  KMSInternalException,
  KMSInvalidStateException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsKeyPolicySource } from '../../../src/aws/kmsKeyPolicySource';

// GetKeyPolicy: "The only valid name is default"; "Cross-account use: No. You cannot perform this operation on
// a KMS key in a different AWS account" (AWS KMS API Reference, GetKeyPolicy,
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html).
const kms = mockClient(KMSClient);
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});
const source = () => new KmsKeyPolicySource(new KMSClient({ region: 'eu-west-1' }));
const accessDenied = () =>
  Object.assign(new Error('User is not authorized to perform: kms:GetKeyPolicy'), { name: 'AccessDeniedException' });

describe('KmsKeyPolicySource', () => {
  afterEach(() => {
    kms.reset();
  });

  it('reads the default key policy of the key', async () => {
    // Prepare
    kms.on(GetKeyPolicyCommand).resolves({ Policy: POLICY, PolicyName: 'default' });

    // Act
    const read = await source().keyPolicy(KEY_ARN);

    // Assess
    expect(read).toEqual({ readable: true, policy: POLICY });
    expect(kms).toHaveReceivedCommandTimes(GetKeyPolicyCommand, 1);
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: KEY_ARN, PolicyName: 'default' });
  });

  it.each([
    ['access is denied (a key of another account)', accessDenied(), /AccessDeniedException/],
    ['the key does not exist', new NotFoundException({ message: 'Key not found', $metadata: {} }), /NotFoundException/],
    [
      'the key is pending import',
      new KMSInvalidStateException({ message: 'pending import', $metadata: {} }),
      /KMSInvalidStateException/,
    ],
  ])('reports the policy unreadable when %s', async (_label, error, reason) => {
    // Prepare
    kms.on(GetKeyPolicyCommand).rejects(error);

    // Act
    const read = await source().keyPolicy(KEY_ARN);

    // Assess
    expect(read).toEqual({ readable: false, reason: expect.stringMatching(reason) });
  });

  it('reports an empty answer as unreadable', async () => {
    // Prepare
    kms.on(GetKeyPolicyCommand).resolves({});

    // Act
    const read = await source().keyPolicy(KEY_ARN);

    // Assess
    expect(read).toEqual({ readable: false, reason: `GetKeyPolicy returned no policy for ${KEY_ARN}` });
  });

  it('throws a service fault for the caller to retry', async () => {
    // Prepare
    kms.on(GetKeyPolicyCommand).rejects(new KMSInternalException({ message: 'internal', $metadata: {} }));

    // Act & Assess
    await expect(source().keyPolicy(KEY_ARN)).rejects.toThrow(KMSInternalException);
  });
});
