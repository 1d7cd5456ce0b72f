import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmKeyIdSource } from '../../../src/aws/ssmKeyIdSource';
import { ConfigurationError, InvalidKeyIdError, RetryableError } from '../../../src/domain/errors';

const ssm = mockClient(SSMClient);
const NAME = '/kinesis-auto-encrypt/dev/default-kms-key-id';
const source = (parameterName: string | undefined) =>
  new SsmKeyIdSource({
    fallback: { value: 'alias/aws/kinesis', form: 'AwsManagedKinesis' },
    parameterName,
    provider: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1' }) }),
    maxAgeSeconds: 300,
  });

describe('SsmKeyIdSource', () => {
  afterEach(() => {
    ssm.reset();
  });

  it('uses the parameter when it exists, cached', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: 'alias/org-key', Type: 'String' } });
    const keys = source(NAME);

    // Act
    const first = await keys.resolve();
    const second = await keys.resolve();

    // Assess
    expect(first).toEqual({ keyId: 'alias/org-key', source: `ssm:${NAME}` });
    expect(second).toEqual(first);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  });

  it('falls back to DEFAULT_KMS_KEY_ID when the parameter does not exist, and remembers that', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const keys = source(NAME);

    // Act
    const first = await keys.resolve();
    await keys.resolve();

    // Assess
    expect(first).toEqual({ keyId: 'alias/aws/kinesis', source: 'kmsKeyId' });
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  });

  it.each([
    ['missing', () => ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'x', $metadata: {} }))],
    [
      'present',
      () => ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: 'alias/k', Type: 'String' } }),
    ],
  ])('reads the parameter once for callers that arrive together (%s)', async (_case, answer) => {
    // Prepare
    answer();
    const keys = source(NAME);

    // Act
    const resolved = await Promise.all(Array.from({ length: 16 }, () => keys.resolve()));

    // Assess
    expect(new Set(resolved.map(({ keyId }) => keyId)).size).toBe(1);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  });

  it('does not call SSM without a parameter name', async () => {
    // Act
    const resolved = await source(undefined).resolve();

    // Assess
    expect(resolved.keyId).toBe('alias/aws/kinesis');
    expect(ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  it('rejects an invalid KeyId in the parameter, naming it', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: 'my key', Type: 'String' } });

    // Act & Assess
    await expect(source(NAME).resolve()).rejects.toThrow(InvalidKeyIdError);
  });

  it('fails retryably when SSM cannot answer', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // Act & Assess
    await expect(source(NAME).resolve()).rejects.toThrow(RetryableError);
  });
});

describe('SsmKeyIdSource with a per-account map', () => {
  // Kinesis uses only a key of the stream's own region; a key of another account only when its key policy
  // grants the stream's account (https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html,
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
  const MEMBER_KEY = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const MAP = JSON.stringify({
    default: 'alias/org-default',
    '222222222222': 'alias/member-key',
    '222222222222/eu-west-1': MEMBER_KEY,
  });
  const where = (account: string, region: string) => ({ partition: 'aws', account, region });
  const mapped = (value: string, allowCrossAccountKey = false) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: value, Type: 'String' } });
    return new SsmKeyIdSource({
      fallback: { value: 'alias/aws/kinesis', form: 'AwsManagedKinesis' },
      parameterName: NAME,
      provider: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1' }) }),
      maxAgeSeconds: 300,
      allowCrossAccountKey,
    });
  };

  afterEach(() => {
    ssm.reset();
  });

  it.each([
    { account: '222222222222', region: 'eu-west-1', keyId: MEMBER_KEY, entry: '222222222222/eu-west-1' },
    { account: '222222222222', region: 'us-east-1', keyId: 'alias/member-key', entry: '222222222222' },
    { account: '333333333333', region: 'us-east-1', keyId: 'alias/org-default', entry: 'default' },
  ])('gives $account/$region the most specific entry ($entry)', async ({ account, region, keyId, entry }) => {
    // Prepare
    const keys = mapped(MAP);

    // Act
    const resolved = await keys.resolve(where(account, region));

    // Assess
    expect(resolved).toEqual({ keyId, source: `ssm:${NAME}[${entry}]` });
  });

  it('falls back to DEFAULT_KMS_KEY_ID when the map has neither the account nor a default', async () => {
    // Prepare
    const keys = mapped(JSON.stringify({ '222222222222': 'alias/member-key' }));

    // Act
    const resolved = await keys.resolve(where('444444444444', 'us-east-1'));

    // Assess
    expect(resolved).toEqual({ keyId: 'alias/aws/kinesis', source: 'kmsKeyId' });
  });

  it.each([
    { name: 'not JSON', value: '{"222222222222": ', message: 'is not a KeyId nor a JSON map' },
    { name: 'a bad account', value: '{"2222": "alias/x"}', message: 'must map "default"' },
    { name: 'a bad value', value: '{"default": 7}', message: 'must map "default"' },
    { name: 'a bad KeyId', value: '{"default": "my key"}', message: 'my key' },
  ])('fails without retry on a map with $name', async ({ value, message }) => {
    // Prepare
    const keys = mapped(value);

    // Act
    const resolving = keys.resolve(where('222222222222', 'us-east-1'));

    // Assess
    await expect(resolving).rejects.toThrow(message);
    await expect(resolving).rejects.toMatchObject({ retryable: false });
  });

  it.each([
    {
      name: 'a key of another region',
      value: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      allow: true,
      message: 'is a key of region us-east-1',
    },
    {
      name: 'a key of another account',
      value: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      allow: false,
      message: 'belongs to account 111111111111',
    },
  ])('refuses $name for the stream, naming where it is', async ({ value, allow, message }) => {
    // Prepare
    const keys = mapped(value, allow);

    // Act
    const resolving = keys.resolve(where('222222222222', 'eu-west-1'));

    // Assess
    await expect(resolving).rejects.toThrow(ConfigurationError);
    await expect(resolving).rejects.toThrow(message);
    await expect(resolving).rejects.toThrow('the stream 222222222222 is in eu-west-1');
  });

  it('accepts a key of another account of the stream region with ALLOW_CROSS_ACCOUNT_KEY', async () => {
    // Prepare
    const central = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const keys = mapped(central, true);

    // Act
    const resolved = await keys.resolve(where('222222222222', 'eu-west-1'));

    // Assess
    expect(resolved).toEqual({ keyId: central, source: `ssm:${NAME}` });
  });
});
