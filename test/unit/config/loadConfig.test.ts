import { loadConfig } from '../../../src/config/loadConfig';
import { ConfigurationError } from '../../../src/domain/errors';

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
      keyIdParameterName: undefined,
      idempotencyTableName: 'idempotency',
      stateMachineArn: base.STATE_MACHINE_ARN,
      eventBusName: 'default',
      overrideForeignKeys: false,
      iacGraceSeconds: 120,
      probeAfterConfirm: false,
      creatingWaitSeconds: 90,
      keyCheckTtlSeconds: 300,
      ssmMaxAgeSeconds: 300,
      idempotencyExpirySeconds: 172_800,
    });
  });

  it.each([
    [{ DEFAULT_KMS_KEY_ID: 'my-key' }, /DEFAULT_KMS_KEY_ID is not a valid KMS KeyId/],
    [{ DEFAULT_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123:key/x' }, /DEFAULT_KMS_KEY_ID/],
    [{ IDEMPOTENCY_TABLE_NAME: undefined }, /IDEMPOTENCY_TABLE_NAME/],
    [{ STATE_MACHINE_ARN: 'confirm' }, /STATE_MACHINE_ARN: expected a state machine ARN/],
    [{ OVERRIDE_FOREIGN_KEYS: 'yes' }, /OVERRIDE_FOREIGN_KEYS/],
    [{ CREATING_WAIT_SECONDS: '900' }, /CREATING_WAIT_SECONDS/],
    [{ IDEMPOTENCY_EXPIRY_SECONDS: '3600' }, /IDEMPOTENCY_EXPIRY_SECONDS/],
  ])('rejects %j at cold start with a clear message', (overrides, message) => {
    // Act & Assess
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(message);
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
    });

    // Assess
    expect(config).toMatchObject({
      defaultKeyId: { value: 'alias/org-streams', form: 'AliasName' },
      keyIdParameterName: '/kinesis-auto-encrypt/prod/default-kms-key-id',
      eventBusName: 'governance',
      overrideForeignKeys: true,
      creatingWaitSeconds: 30,
    });
  });
});
