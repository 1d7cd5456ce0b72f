import { GetKeyPolicyCommand, KMSClient, KMSInternalException, NotFoundException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsKeyPolicyCheck } from '../../../src/aws/kmsKeyPolicyCheck';
import { RetryableError } from '../../../src/domain/errors';
import { ThrottledError } from '../../../src/domain/failures';

// GetKeyPolicy: "The only valid name is default"; "Cross-account use: No" (AWS KMS API Reference, GetKeyPolicy,
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html). The default key policy grants the
// account root, which enables IAM policies ("Default key policy",
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
const kms = mockClient(KMSClient);
const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const deployment = { account: ACCOUNT, region: 'eu-west-1', partition: 'aws' };
const streamArn = (name: string) => `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/${name}`;
const orders = { ...deployment, streamArn: streamArn('orders') };
const keyPolicy = (principal: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Grant', Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }],
  });
const check = () => new KmsKeyPolicyCheck(new KMSClient({ region: 'eu-west-1' }));
const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

describe('KmsKeyPolicyCheck', () => {
  afterEach(() => {
    kms.reset();
  });

  it.each([
    [
      'the default key policy',
      `arn:aws:iam::${ACCOUNT}:root`,
      true,
      /allows kms:GenerateDataKey by principals of account 111122223333/,
    ],
    [
      'a policy granting one role of the account',
      `arn:aws:iam::${ACCOUNT}:role/ingest`,
      true,
      /allows kms:GenerateDataKey by arn:aws:iam::111122223333:role\/ingest/,
    ],
    [
      'a policy granting a role of another account',
      'arn:aws:iam::999988887777:role/ingest',
      false,
      /no statement allows kms:GenerateDataKey/,
    ],
  ])('reads and evaluates %s', async (_label, principal, usable, reason) => {
    // Prepare
    kms.on(GetKeyPolicyCommand).resolves({ Policy: keyPolicy(principal), PolicyName: 'default' });

    // Act
    const verdict = (await check().policyOf(KEY_ARN, deployment))(orders);

    // Assess
    expect(verdict).toEqual({ usable, reason: expect.stringMatching(reason) });
    expect(kms).toHaveReceivedCommandTimes(GetKeyPolicyCommand, 1);
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: KEY_ARN, PolicyName: 'default' });
  });

  it('reads the policy once and judges it for each stream (Kinesis encryption context aws:kinesis:arn)', async () => {
    // Prepare: "Kinesis Data Streams uses the stream ARN as the encryption context in all AWS KMS calls"
    // (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html#sse-kms-encryption-context)
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Payments streams',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:kinesis:arn': streamArn('payments-*') } },
        },
      ],
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy, PolicyName: 'default' });

    // Act
    const judge = await check().policyOf(KEY_ARN, deployment);
    const verdicts = ['orders', 'payments-1'].map((name) => judge({ ...deployment, streamArn: streamArn(name) }));

    // Assess
    expect(verdicts.map((verdict) => verdict.usable)).toEqual([false, true]);
    expect(verdicts[0]?.reason).toMatch(/statement "Payments streams" does not apply/);
    expect(kms).toHaveReceivedCommandTimes(GetKeyPolicyCommand, 1);
  });

  it.each([
    ['access is denied', sdkError('AccessDeniedException', 'not authorized to perform: kms:GetKeyPolicy')],
    ['the key does not exist', new NotFoundException({ message: 'Key not found', $metadata: {} })],
  ])('does not judge a key whose policy is unreadable because %s', async (_label, error) => {
    // Prepare
    kms.on(GetKeyPolicyCommand).rejects(error);

    // Act
    const verdict = (await check().policyOf(KEY_ARN, deployment))(orders);

    // Assess
    expect(verdict).toEqual({
      usable: true,
      reason: `policy not readable: cannot read the key policy of ${KEY_ARN} (${error.name}: ${error.message}); not evaluated`,
    });
  });

  it('does not ask for the policy of a key of another account', async () => {
    // Prepare
    const foreignKey = KEY_ARN.replace(ACCOUNT, '999988887777');

    // Act
    const verdict = (await check().policyOf(foreignKey, deployment))(orders);

    // Assess
    expect(verdict).toEqual({
      usable: true,
      reason: expect.stringMatching(/^policy not readable: .* account 999988887777 .*cross-account.*; not evaluated$/),
    });
    expect(kms).toHaveReceivedCommandTimes(GetKeyPolicyCommand, 0);
  });

  it('evaluates a China key with its partition', async () => {
    // Prepare
    const keyArn = KEY_ARN.replace('arn:aws:kms:eu-west-1', 'arn:aws-cn:kms:cn-north-1');
    kms.on(GetKeyPolicyCommand).resolves({ Policy: keyPolicy(`arn:aws-cn:iam::${ACCOUNT}:root`) });
    const china = { account: ACCOUNT, region: 'cn-north-1', partition: 'aws-cn' };
    const judge = await check().policyOf(keyArn, china);

    // Act
    const verdict = judge({ ...china, streamArn: `arn:aws-cn:kinesis:cn-north-1:${ACCOUNT}:stream/orders` });

    // Assess
    expect(verdict).toEqual({ usable: true, reason: expect.stringContaining('via kinesis.cn-north-1.amazonaws.com') });
  });

  it.each([
    ['throttled', sdkError('ThrottlingException', 'Rate exceeded'), ThrottledError],
    ['failing', new KMSInternalException({ message: 'internal', $metadata: {} }), RetryableError],
  ])('throws a retryable domain error when KMS is %s', async (_label, error, expected) => {
    // Prepare
    kms.on(GetKeyPolicyCommand).rejects(error);

    // Act
    const checking = check().policyOf(KEY_ARN, deployment);

    // Assess
    await expect(checking).rejects.toBeInstanceOf(expected);
    await expect(checking).rejects.toMatchObject({ cause: error });
  });
});
