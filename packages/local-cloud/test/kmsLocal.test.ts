import type { LocalRequest } from '../src/gateway';
import { KINESIS_MANAGED_ALIAS, LocalKms } from '../src/kmsLocal';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const KEY_ID = '0b4b4a6c-5c7e-4f3e-9d8e-1a2b3c4d5e6f';

const kmsRequest = (operation: string, json: unknown, account = ACCOUNT, region = REGION): LocalRequest => ({
  target: `TrentService.${operation}`,
  operation,
  body: Buffer.from(JSON.stringify(json)),
  json,
  headers: {},
  account,
  region,
  accessKeyId: account,
});

// biome-ignore lint/suspicious/noExplicitAny: KMS JSON bodies are read field by field in assertions
const body = (response: { body: unknown }): Record<string, any> => response.body as Record<string, any>;

describe('LocalKms', () => {
  it.each([
    { form: 'key id', keyId: KEY_ID },
    { form: 'key ARN', keyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}` },
    { form: 'alias name', keyId: 'alias/org-kinesis' },
    { form: 'alias ARN', keyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/org-kinesis` },
  ])('DescribeKey finds a customer key by $form', async ({ keyId }) => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, aliases: ['alias/org-kinesis'] }]);

    // Act
    const response = await kms.service(kmsRequest('DescribeKey', { KeyId: keyId }));

    // Assess
    expect(response.status).toBe(200);
    expect(body(response).KeyMetadata).toEqual({
      AWSAccountId: ACCOUNT,
      KeyId: KEY_ID,
      Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`,
      CreationDate: expect.any(Number),
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    });
  });

  it('DescribeKey of alias/aws/kinesis gives one AWS managed key per account and region', async () => {
    // Prepare
    const kms = new LocalKms();

    // Act
    const first = body(await kms.service(kmsRequest('DescribeKey', { KeyId: KINESIS_MANAGED_ALIAS })));
    const again = body(await kms.service(kmsRequest('DescribeKey', { KeyId: KINESIS_MANAGED_ALIAS })));
    const other = body(await kms.service(kmsRequest('DescribeKey', { KeyId: KINESIS_MANAGED_ALIAS }, OTHER_ACCOUNT)));

    // Assess
    expect(first.KeyMetadata).toMatchObject({ KeyManager: 'AWS', AWSAccountId: ACCOUNT, KeyState: 'Enabled' });
    expect(again.KeyMetadata.KeyId).toBe(first.KeyMetadata.KeyId);
    expect(other.KeyMetadata.AWSAccountId).toBe(OTHER_ACCOUNT);
    expect(other.KeyMetadata.KeyId).not.toBe(first.KeyMetadata.KeyId);
  });

  it.each([
    { form: 'unknown key id', keyId: '99999999-9999-4999-8999-999999999999' },
    { form: 'unknown alias', keyId: 'alias/nope' },
    { form: 'key of another region', keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/unknown` },
  ])('DescribeKey of an $form is NotFoundException', async ({ keyId }) => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, aliases: ['alias/org-kinesis'], account: ACCOUNT, region: REGION }]);

    // Act
    const response = await kms.service(kmsRequest('DescribeKey', { KeyId: keyId }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers?.['x-amzn-ErrorType']).toBe('NotFoundException');
    expect(body(response).__type).toBe('NotFoundException');
  });

  it('keeps a key scoped to one account invisible to other accounts by alias', async () => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, aliases: ['alias/team'], account: ACCOUNT, region: REGION }]);

    // Act
    const own = await kms.service(kmsRequest('DescribeKey', { KeyId: 'alias/team' }));
    const other = await kms.service(kmsRequest('DescribeKey', { KeyId: 'alias/team' }, OTHER_ACCOUNT));
    const crossAccountArn = await kms.service(
      kmsRequest('DescribeKey', { KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}` }, OTHER_ACCOUNT)
    );

    // Assess
    expect(own.status).toBe(200);
    expect(other.status).toBe(400);
    expect(body(crossAccountArn).KeyMetadata.AWSAccountId).toBe(ACCOUNT);
  });

  it.each([
    { config: { enabled: false }, expected: { Enabled: false, KeyState: 'Disabled' } },
    {
      config: { keyState: 'PendingDeletion' as const },
      expected: { Enabled: false, KeyState: 'PendingDeletion', PendingDeletionWindowInDays: 7 },
    },
    {
      config: { keyUsage: 'SIGN_VERIFY' as const, keySpec: 'RSA_2048' },
      expected: { KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048' },
    },
  ])('DescribeKey reports key settings $config', async ({ config, expected }) => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, ...config }]);

    // Act
    const response = await kms.service(kmsRequest('DescribeKey', { KeyId: KEY_ID }));

    // Assess
    expect(body(response).KeyMetadata).toMatchObject(expected);
  });

  it('setKeyState changes what DescribeKey returns', async () => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID }]);
    kms.setKeyState(ACCOUNT, REGION, KEY_ID, 'Disabled');

    // Act
    const response = await kms.service(kmsRequest('DescribeKey', { KeyId: KEY_ID }));

    // Assess
    expect(body(response).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
  });

  it('ListAliases lists configured and AWS managed aliases', async () => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, aliases: ['alias/org-kinesis'] }]);

    // Act
    const response = await kms.service(kmsRequest('ListAliases', {}));

    // Assess
    expect(body(response).Aliases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          AliasName: 'alias/org-kinesis',
          TargetKeyId: KEY_ID,
          AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/org-kinesis`,
        }),
        expect.objectContaining({ AliasName: KINESIS_MANAGED_ALIAS }),
      ])
    );
  });

  it('rejects operations it does not implement', async () => {
    // Prepare
    const kms = new LocalKms();

    // Act
    const response = await kms.service(kmsRequest('Encrypt', { KeyId: KEY_ID }));

    // Assess
    expect(response.status).toBe(400);
    expect(body(response).__type).toBe('UnknownOperationException');
  });
});
