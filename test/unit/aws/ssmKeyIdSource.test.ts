import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmKeyIdSource } from '../../../src/aws/ssmKeyIdSource';
import { InvalidKeyIdError, RetryableError } from '../../../src/domain/errors';

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
    expect(first).toEqual({ keyId: 'alias/aws/kinesis', source: 'DEFAULT_KMS_KEY_ID' });
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
