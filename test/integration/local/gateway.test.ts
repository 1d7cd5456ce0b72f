import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ResourceInUseException,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CloudTrailEnvelope } from '../../../tools/dev';
import {
  createIdempotencyTable,
  createKinesisRecorder,
  createProxyService,
  DYNAMODB_TARGET_PREFIX,
  type DynaliteLocal,
  freePort,
  KINESIS_TARGET_PREFIX,
  type KinesisLocal,
  type KinesisRecorder,
  KMS_TARGET_PREFIX,
  LocalGateway,
  LocalKms,
  LocalSsm,
  SSM_TARGET_PREFIX,
  startDynaliteLocal,
  startKinesisLocal,
} from '../../../tools/dev';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const REGION = 'eu-west-1';
const KEY_ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const KEY_ALIAS = 'alias/org-kinesis';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const poll = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T[]> => {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('local gateway with kinesis-local, dynalite, KMS and SSM', () => {
  let kinesisLocal: KinesisLocal;
  let dynalite: DynaliteLocal;
  let recorder: KinesisRecorder;
  let gateway: LocalGateway;
  let endpoint: string;
  const events: CloudTrailEnvelope[] = [];
  const clients: { destroy(): void }[] = [];

  const credentials = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'local' });
  const kinesis = (accessKeyId: string, http1 = false): KinesisClient => {
    const client = new KinesisClient({
      endpoint,
      region: REGION,
      credentials: credentials(accessKeyId),
      ...(http1 ? { requestHandler: new NodeHttpHandler() } : {}),
    });
    clients.push(client);
    return client;
  };
  const eventsFor = (operation: string, streamName: string): CloudTrailEnvelope[] =>
    events.filter(
      (event) => event.detail.eventName === operation && event.detail.requestParameters?.streamName === streamName
    );

  beforeAll(async () => {
    [kinesisLocal, dynalite] = await Promise.all([
      // UPDATING lasts long enough that the first describe after StartStreamEncryption sees it even when a loaded
      // machine stalls this process for seconds (the test asserts that status, and waits for ACTIVE by polling).
      startKinesisLocal({ createDurationMs: 300, updateDurationMs: 5000 }),
      startDynaliteLocal(),
    ]);
    recorder = createKinesisRecorder({ upstream: kinesisLocal.endpoint, onEvent: (event) => void events.push(event) });
    gateway = new LocalGateway();
    gateway.register(KINESIS_TARGET_PREFIX, recorder.service);
    gateway.register(DYNAMODB_TARGET_PREFIX, dynalite.service);
    gateway.register(KMS_TARGET_PREFIX, new LocalKms([{ keyId: KEY_ID, aliases: [KEY_ALIAS] }]).service);
    gateway.register(SSM_TARGET_PREFIX, new LocalSsm({ '/kinesis-auto-encrypt/kms-key-id': KEY_ALIAS }).service);
    endpoint = await gateway.start();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    recorder?.stop();
    await gateway?.stop();
    await dynalite?.stop();
    await kinesisLocal?.stop();
    expect(isRunning(kinesisLocal.pid)).toBe(false);
  });

  it('keeps streams of two 12-digit access key ids in two accounts', async () => {
    // Act
    await kinesis(ACCOUNT_A).send(new CreateStreamCommand({ StreamName: 'orders-a', ShardCount: 1 }));
    await kinesis(ACCOUNT_B, true).send(new CreateStreamCommand({ StreamName: 'orders-b', ShardCount: 1 }));
    const summaryA = await kinesis(ACCOUNT_A).send(new DescribeStreamSummaryCommand({ StreamName: 'orders-a' }));
    const summaryB = await kinesis(ACCOUNT_B, true).send(new DescribeStreamSummaryCommand({ StreamName: 'orders-b' }));
    const listedA = await kinesis(ACCOUNT_A).send(new ListStreamsCommand({}));

    // Assess
    expect(summaryA.StreamDescriptionSummary?.StreamARN).toBe(`arn:aws:kinesis:${REGION}:${ACCOUNT_A}:stream/orders-a`);
    expect(summaryB.StreamDescriptionSummary?.StreamARN).toBe(`arn:aws:kinesis:${REGION}:${ACCOUNT_B}:stream/orders-b`);
    expect(listedA.StreamNames).toContain('orders-a');
    expect(listedA.StreamNames).not.toContain('orders-b');
  });

  it('records one CloudTrail event per CreateStream, and errorCode for a duplicate', async () => {
    // Prepare
    const client = kinesis(ACCOUNT_A);
    await client.send(new CreateStreamCommand({ StreamName: 'audit', ShardCount: 1 }));

    // Act
    const duplicate = client.send(new CreateStreamCommand({ StreamName: 'audit', ShardCount: 1 }));
    await expect(duplicate).rejects.toBeInstanceOf(ResourceInUseException);
    await recorder.idle();

    // Assess
    const recorded = eventsFor('CreateStream', 'audit');
    expect(recorded).toHaveLength(2);
    const [created, failed] = recorded;
    expect(created).toMatchObject({
      source: 'aws.kinesis',
      'detail-type': 'AWS API Call via CloudTrail',
      account: ACCOUNT_A,
      region: REGION,
      detail: {
        eventSource: 'kinesis.amazonaws.com',
        awsRegion: REGION,
        recipientAccountId: ACCOUNT_A,
        userIdentity: { accountId: ACCOUNT_A, accessKeyId: ACCOUNT_A },
        requestParameters: { streamName: 'audit', shardCount: 1 },
      },
    });
    expect(created?.detail).not.toHaveProperty('errorCode');
    expect(failed?.detail).toMatchObject({ errorCode: 'ResourceInUseException', errorMessage: expect.any(String) });
    expect(created?.detail.eventID).toMatch(UUID);
    expect(failed?.detail.eventID).not.toBe(created?.detail.eventID);
  });

  it('records CreateStream of the other account in that account', async () => {
    // Act
    await kinesis(ACCOUNT_B, true).send(new CreateStreamCommand({ StreamName: 'audit-b', ShardCount: 1 }));
    await recorder.idle();

    // Assess
    const recorded = eventsFor('CreateStream', 'audit-b');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ account: ACCOUNT_B, detail: { userIdentity: { accountId: ACCOUNT_B } } });
  });

  it('maps an access key id that is not 12 digits (AWS CLI style) to account 000000000000', async () => {
    // Prepare
    const client = kinesis('AKIAIOSFODNN7EXAMPLE', true);

    // Act
    await client.send(new CreateStreamCommand({ StreamName: 'cli-stream', ShardCount: 1 }));
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'cli-stream' }));
    await recorder.idle();

    // Assess
    expect(summary.StreamDescriptionSummary?.StreamARN).toBe(
      `arn:aws:kinesis:${REGION}:000000000000:stream/cli-stream`
    );
    expect(eventsFor('CreateStream', 'cli-stream')[0]).toMatchObject({
      account: '000000000000',
      detail: { userIdentity: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accountId: '000000000000' } },
    });
  });

  it('StartStreamEncryption moves the stream through UPDATING to ACTIVE with the KMS key', async () => {
    // Prepare
    const client = kinesis(ACCOUNT_A);
    await client.send(new CreateStreamCommand({ StreamName: 'to-encrypt', ShardCount: 1 }));
    const describe = async () =>
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'to-encrypt' }))).StreamDescriptionSummary;
    const created = await poll(describe, (summary) => summary?.StreamStatus === 'ACTIVE');
    const streamArn = created.at(-1)?.StreamARN;

    // Act
    await client.send(
      new StartStreamEncryptionCommand({ StreamARN: streamArn, EncryptionType: 'KMS', KeyId: KEY_ALIAS })
    );
    const seen = await poll(describe, (summary) => summary?.StreamStatus === 'ACTIVE');
    await recorder.idle();

    // Assess
    expect(seen[0]?.StreamStatus).toBe('UPDATING');
    expect(seen.at(-1)).toMatchObject({ StreamStatus: 'ACTIVE', EncryptionType: 'KMS', KeyId: KEY_ALIAS });
    const recorded = events.filter((event) => event.detail.eventName === 'StartStreamEncryption');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.detail.requestParameters).toEqual({
      streamARN: streamArn,
      encryptionType: 'KMS',
      keyId: KEY_ALIAS,
    });
  });

  it('does not record data-plane calls', async () => {
    // Act
    await kinesis(ACCOUNT_A).send(new ListStreamsCommand({}));
    await recorder.idle();

    // Assess
    expect(events.map((event) => event.detail.eventName)).not.toContain('ListStreams');
    expect(events.map((event) => event.detail.eventName)).not.toContain('DescribeStreamSummary');
  });

  it('serves DynamoDB CreateTable, PutItem and GetItem through the gateway', async () => {
    // Prepare
    const client = new DynamoDBClient({ endpoint, region: REGION, credentials: credentials(ACCOUNT_A) });
    clients.push(client);
    await createIdempotencyTable(endpoint, 'idempotency');

    // Act
    await client.send(
      new PutItemCommand({ TableName: 'idempotency', Item: { id: { S: 'event-1' }, status: { S: 'COMPLETED' } } })
    );
    const { Item } = await client.send(new GetItemCommand({ TableName: 'idempotency', Key: { id: { S: 'event-1' } } }));

    // Assess
    expect(Item).toEqual({ id: { S: 'event-1' }, status: { S: 'COMPLETED' } });
  });

  it.each([
    { form: 'key id', keyId: KEY_ID, keyManager: 'CUSTOMER' },
    { form: 'key ARN', keyId: `arn:aws:kms:${REGION}:${ACCOUNT_A}:key/${KEY_ID}`, keyManager: 'CUSTOMER' },
    { form: 'alias name', keyId: KEY_ALIAS, keyManager: 'CUSTOMER' },
    { form: 'alias ARN', keyId: `arn:aws:kms:${REGION}:${ACCOUNT_A}:${KEY_ALIAS}`, keyManager: 'CUSTOMER' },
    { form: 'AWS managed alias', keyId: 'alias/aws/kinesis', keyManager: 'AWS' },
  ])('KMS DescribeKey accepts the $form', async ({ keyId, keyManager }) => {
    // Prepare
    const client = new KMSClient({ endpoint, region: REGION, credentials: credentials(ACCOUNT_A) });
    clients.push(client);

    // Act
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));

    // Assess
    expect(KeyMetadata).toMatchObject({
      AWSAccountId: ACCOUNT_A,
      KeyManager: keyManager,
      KeyState: 'Enabled',
      Enabled: true,
    });
    expect(KeyMetadata?.Arn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT_A}:key/${KeyMetadata?.KeyId}`);
    expect(KeyMetadata?.CreationDate).toBeInstanceOf(Date);
  });

  it('KMS DescribeKey of an unknown key is NotFoundException', async () => {
    // Prepare
    const client = new KMSClient({ endpoint, region: REGION, credentials: credentials(ACCOUNT_A) });
    clients.push(client);

    // Act
    const described = client.send(new DescribeKeyCommand({ KeyId: 'alias/unknown' }));

    // Assess
    await expect(described).rejects.toBeInstanceOf(NotFoundException);
  });

  it('SSM GetParameter returns configured values and ParameterNotFound otherwise', async () => {
    // Prepare
    const client = new SSMClient({ endpoint, region: REGION, credentials: credentials(ACCOUNT_A) });
    clients.push(client);

    // Act
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/kinesis-auto-encrypt/kms-key-id' }));
    const missing = client.send(new GetParameterCommand({ Name: '/missing' }));

    // Assess
    expect(Parameter).toMatchObject({ Value: KEY_ALIAS, Type: 'String' });
    await expect(missing).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it.each([
    {
      name: 'unknown target prefix',
      register: false,
      target: 'Unknown_20200101.Do',
      status: 400,
      type: 'UnknownOperationException',
    },
    {
      name: 'service whose emulator is down',
      register: true,
      target: 'Down_20200101.Do',
      status: 503,
      type: 'ServiceUnavailableException',
    },
  ])('answers a JSON error for a $name', async ({ register, target, status, type }) => {
    // Prepare
    if (register) {
      const down = createProxyService(`http://127.0.0.1:${await freePort()}`, 'Down');
      gateway.register('Down_20200101', down.service);
    }

    // Act
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-errortype')).toBe(type);
    expect(await response.json()).toEqual({ __type: type, message: expect.any(String) });
  });
});
