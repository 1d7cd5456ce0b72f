import { loadConfig } from '../../../src/config/loadConfig';
import { ConfigurationError } from '../../../src/domain/errors';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
// Region: STATE_MACHINE_ARN's (us-east-1) unless AWS_REGION, which Lambda always sets, says otherwise.
const base = {
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:confirm-encryption',
};

describe('loadConfig', () => {
  it('falls back to the AWS managed key and safe defaults when nothing is set', () => {
    // Act
    const config = loadConfig(base);

    // Assess
    expect(config).toEqual({
      defaultKeyId: { value: 'alias/aws/kinesis', form: 'AwsManagedKinesis' },
      deployment: { partition: 'aws', region: 'us-east-1', account: '123456789012' },
      allowCrossAccountKey: false,
      keyIdParameterName: undefined,
      idempotencyTableName: 'idempotency',
      stateMachineArn: base.STATE_MACHINE_ARN,
      eventBusName: 'default',
      overrideForeignKeys: false,
      iacGraceSeconds: 120,
      keyPolicyCheck: 'enforce',
      mode: 'enforce',
      writeGuard: 'off',
      allowExemptions: true,
      allowKeyTags: true,
      keyBudgetReserve: 2,
      maxDriftRepairsPerDay: 3,
      iacUserAgents: ['Terraform/', 'exec-env/Terraform', 'terraform-provider-aws', 'aws-cdk', 'pulumi', 'crossplane'],
      ownRoleArns: [],
      probeAfterConfirm: false,
      creatingWaitSeconds: 90,
      keyCheckTtlSeconds: 300,
      ssmMaxAgeSeconds: 300,
      idempotencyExpirySeconds: 172_800,
    });
  });

  it.each([
    [{ DEFAULT_KMS_KEY_ID: 'my-key' }, /kmsKeyId is not a valid KMS KeyId/],
    [{ DEFAULT_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123:key/x' }, /kmsKeyId/],
    [{ IDEMPOTENCY_TABLE_NAME: undefined }, /IDEMPOTENCY_TABLE_NAME/],
    [{ STATE_MACHINE_ARN: 'confirm' }, /STATE_MACHINE_ARN: expected a state machine ARN/],
    [{ OVERRIDE_FOREIGN_KEYS: 'yes' }, /OVERRIDE_FOREIGN_KEYS/],
    [{ CREATING_WAIT_SECONDS: '900' }, /CREATING_WAIT_SECONDS/],
    [{ IDEMPOTENCY_EXPIRY_SECONDS: '3600' }, /IDEMPOTENCY_EXPIRY_SECONDS/],
    [{ AWS_REGION: 'nowhere' }, /AWS_REGION: expected an AWS region/],
    [{ ALLOW_CROSS_ACCOUNT_KEY: 'yes' }, /ALLOW_CROSS_ACCOUNT_KEY/],
    [{ WRITE_GUARD: 'on' }, /WRITE_GUARD/],
    [
      { OWN_ROLE_ARNS: 'arn:aws:iam::123456789012:user/alice' },
      /OWN_ROLE_ARNS: expected comma-separated IAM role ARNs/,
    ],
    [
      { DEFAULT_KMS_KEY_ID: `arn:aws:kms:eu-west-1:123456789012:key/${KEY}` },
      /kmsKeyId arn:aws:kms:eu-west-1:123456789012:key\/\S+ is a key of region eu-west-1: .*; this function runs in us-east-1/,
    ],
    [
      { AWS_REGION: 'eu-west-1', DEFAULT_KMS_KEY_ID: `arn:aws:kms:us-east-1:123456789012:key/${KEY}` },
      /is a key of region us-east-1: .*; this function runs in eu-west-1/,
    ],
    [{ DEFAULT_KMS_KEY_ID: `arn:aws-cn:kms:us-east-1:123456789012:key/${KEY}` }, /is in partition aws-cn/],
    [{ DEFAULT_KMS_KEY_ID: 'alias/aws/s3' }, /kmsKeyId alias\/aws\/s3 is the AWS managed key of s3/],
    [{ DEFAULT_KMS_KEY_ID: `arn:aws:kms:us-east-1:999988887777:key/${KEY}` }, /allowCrossAccountKey=true/],
  ])('rejects %j at cold start with a clear message', (overrides, message) => {
    // Act & Assess
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(message);
  });

  it.each([
    ['the state machine ARN', {}, `arn:aws:kms:us-east-1:123456789012:key/${KEY}`],
    ['AWS_REGION', { AWS_REGION: 'eu-west-1' }, `arn:aws:kms:eu-west-1:123456789012:key/${KEY}`],
  ])('accepts a key ARN of the region given by %s', (_label, overrides, key) => {
    // Act
    const config = loadConfig({ ...base, ...overrides, DEFAULT_KMS_KEY_ID: key });

    // Assess
    expect(config.defaultKeyId).toEqual({ value: key, form: 'KeyArn' });
  });

  it('accepts a key of another account when ALLOW_CROSS_ACCOUNT_KEY=true', () => {
    // Prepare
    const key = `arn:aws:kms:us-east-1:999988887777:key/${KEY}`;

    // Act
    const config = loadConfig({ ...base, DEFAULT_KMS_KEY_ID: key, ALLOW_CROSS_ACCOUNT_KEY: 'true' });

    // Assess
    expect(config).toMatchObject({ defaultKeyId: { value: key }, allowCrossAccountKey: true });
  });

  it('reads every setting', () => {
    // Act
    const config = loadConfig({
      ...base,
      DEFAULT_KMS_KEY_ID: 'alias/org-streams',
      KMS_KEY_SSM_PARAMETER: '/kinesis-auto-encrypt/prod/default-kms-key-id',
      EVENT_BUS_NAME: 'governance',
      OVERRIDE_FOREIGN_KEYS: 'true',
      CREATING_WAIT_SECONDS: '30',
      WRITE_GUARD: 'prepare',
      OWN_ROLE_ARNS: 'arn:aws:iam::123456789012:role/fn-role, arn:aws:iam::123456789012:role/sfn-role',
    });

    // Assess
    expect(config).toMatchObject({
      defaultKeyId: { value: 'alias/org-streams', form: 'AliasName' },
      keyIdParameterName: '/kinesis-auto-encrypt/prod/default-kms-key-id',
      eventBusName: 'governance',
      overrideForeignKeys: true,
      creatingWaitSeconds: 30,
      writeGuard: 'prepare',
      ownRoleArns: ['arn:aws:iam::123456789012:role/fn-role', 'arn:aws:iam::123456789012:role/sfn-role'],
    });
  });
});
