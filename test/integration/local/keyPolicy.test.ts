import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { type Harness, startHarness } from './harness';

// The key pre-flight judges a key for the stream Kinesis calls KMS for: "Kinesis Data Streams uses the stream ARN as
// the encryption context in all AWS KMS calls", and a key policy may limit a key to some streams with
// kms:EncryptionContext:aws:kinesis:arn; producers need kms:GenerateDataKey, consumers kms:Decrypt ("Permissions to
// use user-generated KMS keys", https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html). A key
// policy may grant named roles of the account ("Allows key users to use the KMS key",
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users), with
// kms:ViaService (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
const ACCOUNT = '550000000020';
const REGION = 'us-east-1';
const KINESIS = `kinesis.${REGION}.amazonaws.com`;
const KEY_TAG = 'kinesis-auto-encrypt:key';
const PAYMENTS_ONLY = 'alias/payments-only';
const LEAST_PRIVILEGE = 'alias/least-privilege';
const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const admins = { Sid: 'Key administrators', Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' };

/** Producers may generate data keys for streams payments-* only; consumers may decrypt. */
const paymentsOnly = policy(
  { ...admins, Action: ['kms:Describe*', 'kms:Get*', 'kms:Put*', 'kms:List*'] },
  {
    Sid: 'Payments producers',
    Effect: 'Allow',
    Principal: root,
    Action: 'kms:GenerateDataKey',
    Resource: '*',
    Condition: {
      StringEquals: { 'kms:ViaService': KINESIS },
      StringLike: { 'kms:EncryptionContext:aws:kinesis:arn': `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/payments-*` },
    },
  },
  { Sid: 'Consumers', Effect: 'Allow', Principal: root, Action: 'kms:Decrypt', Resource: '*' }
);

/** Only the producer and consumer roles may use the key, through Kinesis. */
const leastPrivilege = policy(
  { ...admins, Action: ['kms:Describe*', 'kms:Get*', 'kms:Put*', 'kms:List*'] },
  {
    Sid: 'Producers',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/producer` },
    Action: 'kms:GenerateDataKey',
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': KINESIS } },
  },
  {
    Sid: 'Consumers',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/consumer` },
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': KINESIS } },
  }
);

describe('the key pre-flight on the local cloud, per stream', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ accounts: [ACCOUNT], environment: { POWERTOOLS_LOG_LEVEL: 'WARN' } });
    harness.cloud.kms.addKey({ account: ACCOUNT, region: REGION, aliases: [PAYMENTS_ONLY], policy: paymentsOnly });
    harness.cloud.kms.addKey({ account: ACCOUNT, region: REGION, aliases: [LEAST_PRIVILEGE], policy: leastPrivilege });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it.each([
    ['orders', PAYMENTS_ONLY, 'Failed', 'NONE', 0],
    ['payments-1', PAYMENTS_ONLY, 'Encrypted', 'KMS', 1],
    ['least-privilege', LEAST_PRIVILEGE, 'Encrypted', 'KMS', 1],
  ])(
    'stream %s with key %s ends %s (EncryptionType %s)',
    async (name, key, outcome, encryptionType, applies) => {
      // Act
      await harness
        .client(ACCOUNT, REGION)
        .send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { [KEY_TAG]: key } }));
      const completion = await harness.completionFor(ACCOUNT, REGION, name);
      await harness.cloud.idle();

      // Assess
      expect(completionEventErrors(completion)).toEqual([]);
      expect(completion.detail.outcome).toBe(outcome);
      expect(harness.cloudTrailFor(name, 'StartStreamEncryption')).toHaveLength(applies);
      expect(await harness.streamSummary(ACCOUNT, REGION, name)).toMatchObject({ EncryptionType: encryptionType });
      if (outcome === 'Failed') {
        // Issue 20: a key problem leaves the unencrypted stream NonCompliant; the reason names the stage parameter.
        expect(completion.detail).toMatchObject({
          compliance: 'NonCompliant',
          reason: expect.stringMatching(/\(keyPolicyCheck=enforce\)$/),
        });
        expect(completion.detail).toMatchObject({
          error: { name: 'KeyPolicyDenies' },
          reason: expect.stringMatching(
            /no statement allows kms:GenerateDataKey .* for stream arn:aws:kinesis:us-east-1:550000000020:stream\/orders .*statement "Payments producers" does not apply: its condition on kms:EncryptionContext:aws:kinesis:arn does not hold/
          ),
        });
      }
    },
    60_000
  );
});
