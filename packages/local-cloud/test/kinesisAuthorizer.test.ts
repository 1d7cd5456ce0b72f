import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { LocalGateway, type LocalRequest, type LocalService } from '../src/gateway';
import { kinesisAuthorizer } from '../src/kinesisAuthorizer';
import { KINESIS_TARGET_PREFIX } from '../src/kinesisRecorder';
import { type ServiceRole, serviceAccessKeyId } from '../src/localIdentities';
import { type AuthorizationRequest, serviceControlPolicyEvaluator } from '../src/policyEvaluator';

// The gateway decides every Kinesis call with service control policies evaluated by @cloud-copilot/iam-simulate.
// AWS behaviour relied on:
// - A call IAM denies gets AccessDeniedException, HTTP 400 (Kinesis API Reference, Common Errors,
//   https://docs.aws.amazon.com/kinesis/latest/APIReference/CommonErrors.html), message "User: <arn> is not authorized
//   to perform: <action> on resource: <arn> with an explicit deny in a service control policy"
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
// - PutRecord takes aws:ResourceTag/${TagKey}, CreateStream and AddTagsToStream aws:TagKeys and aws:RequestTag
//   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html);
//   aws:PrincipalArn of a role session is the role's ARN
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const WRITER: ServiceRole = { name: 'app-Writer', code: 'WRTR', session: 'writer' };
const TAGGER: ServiceRole = { name: 'app-Tagger', code: 'TAGR', session: 'tagger' };
const arnOf = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

/** A generic SCP: writes only to streams tagged approved, the tag set only by the tagger role. */
const SCP = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
      Resource: '*',
      Condition: { Null: { 'aws:ResourceTag/approved': 'true' } },
    },
    {
      Effect: 'Deny',
      Action: ['kinesis:CreateStream', 'kinesis:AddTagsToStream'],
      Resource: '*',
      Condition: {
        'ForAnyValue:StringEquals': { 'aws:TagKeys': ['approved'] },
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${TAGGER.name}` },
      },
    },
  ],
};

/** A Kinesis stand-in: streams and their tags; answers what the calls below need. */
const fakeKinesis = (tags: Map<string, Record<string, string>>, served: string[]): LocalService => {
  return async (req: LocalRequest) => {
    served.push(req.operation);
    const body = req.json as { StreamName?: string; StreamARN?: string; Tags?: Record<string, string> };
    const name = body.StreamName ?? body.StreamARN?.split(':stream/')[1] ?? '';
    switch (req.operation) {
      case 'CreateStream':
        tags.set(name, { ...body.Tags });
        return { status: 200, body: {} };
      case 'AddTagsToStream':
        tags.set(name, { ...tags.get(name), ...body.Tags });
        return { status: 200, body: {} };
      case 'ListTagsForStream':
        return {
          status: 200,
          body: {
            Tags: Object.entries(tags.get(name) ?? {}).map(([Key, Value]) => ({ Key, Value })),
            HasMoreTags: false,
          },
        };
      case 'PutRecord':
        return { status: 200, body: { ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'NONE' } };
      default:
        return {
          status: 200,
          body: {
            StreamDescriptionSummary: {
              StreamName: name,
              StreamARN: arnOf(name),
              StreamStatus: 'ACTIVE',
              RetentionPeriodHours: 24,
              StreamCreationTimestamp: 0,
              EnhancedMonitoring: [],
              OpenShardCount: 1,
            },
          },
        };
    }
  };
};

describe('the gateway enforcing service control policies on Kinesis', () => {
  const tags = new Map<string, Record<string, string>>();
  const served: string[] = [];
  const decided: AuthorizationRequest[] = [];
  const evaluate = serviceControlPolicyEvaluator([{ name: 'approved-writes', policy: SCP }]);
  const gateway = new LocalGateway({
    authorizers: {
      [KINESIS_TARGET_PREFIX]: kinesisAuthorizer(async (request) => {
        decided.push(request);
        return evaluate(request);
      }),
    },
  });
  const clients: KinesisClient[] = [];
  const clientAs = (accessKeyId: string): KinesisClient => {
    const client = new KinesisClient({
      endpoint: gateway.url,
      region: REGION,
      credentials: { accessKeyId, secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    gateway.register(KINESIS_TARGET_PREFIX, fakeKinesis(tags, served));
    await gateway.start();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await gateway.stop();
  });

  it('refuses a write to an untagged stream with AccessDeniedException and never forwards it', async () => {
    // Prepare
    const writer = clientAs(serviceAccessKeyId(ACCOUNT, WRITER));
    await writer.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
    served.length = 0;

    // Act
    const refusal = await writer
      .send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'k', Data: Buffer.from('x') }))
      .catch((error: unknown) => error);

    // Assess
    expect(refusal).toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${WRITER.name}/${WRITER.session} is not authorized to perform: kinesis:PutRecord on resource: ${arnOf('orders')} with an explicit deny in a service control policy`,
    });
    expect(served).toEqual(['ListTagsForStream']);
    expect(decided.at(-1)).toMatchObject({
      principalArn: `arn:aws:iam::${ACCOUNT}:role/${WRITER.name}`,
      action: 'kinesis:PutRecord',
      resourceArn: arnOf('orders'),
      resourceTags: {},
    });
  });

  it.each([
    ['a role not allowed to', serviceAccessKeyId(ACCOUNT, WRITER), 'AccessDeniedException'],
    ['an IAM user', ACCOUNT, 'AccessDeniedException'],
    ['the role allowed to', serviceAccessKeyId(ACCOUNT, TAGGER), 'allowed'],
  ])('lets %s set the tag the writes need: %s', async (_who, accessKeyId, expected) => {
    // Prepare
    const name = `tagged-by-${accessKeyId}`;
    await clientAs(ACCOUNT).send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));

    // Act
    const result = await clientAs(accessKeyId)
      .send(new AddTagsToStreamCommand({ StreamName: name, Tags: { approved: 'yes' } }))
      .then(
        () => 'allowed',
        (error: Error) => error.name
      );

    // Assess
    expect(result).toBe(expected);
    expect(decided.at(-1)).toMatchObject({ action: 'kinesis:AddTagsToStream', requestTags: { approved: 'yes' } });
  });

  it('accepts the write once the stream carries the tag, with what the stream answered', async () => {
    // Prepare
    await clientAs(serviceAccessKeyId(ACCOUNT, TAGGER)).send(
      new CreateStreamCommand({ StreamName: 'payments', ShardCount: 1, Tags: { approved: 'yes' } })
    );

    // Act
    const response = await clientAs(ACCOUNT).send(
      new PutRecordCommand({ StreamName: 'payments', PartitionKey: 'k', Data: Buffer.from('x') })
    );

    // Assess
    expect(response).toMatchObject({ SequenceNumber: '1', EncryptionType: 'NONE' });
    expect(decided.at(-1)).toMatchObject({ resourceTags: { approved: 'yes' } });
  });

  it('reads the tags again after a change: a stream refused before its tag takes writes after it', async () => {
    // Prepare
    const writer = clientAs(serviceAccessKeyId(ACCOUNT, WRITER));
    await writer.send(new CreateStreamCommand({ StreamName: 'refunds', ShardCount: 1 }));
    const put = () =>
      writer.send(new PutRecordCommand({ StreamName: 'refunds', PartitionKey: 'k', Data: Buffer.from('x') })).then(
        () => 'accepted',
        (error: Error) => error.name
      );
    const before = await put();

    // Act
    await clientAs(serviceAccessKeyId(ACCOUNT, TAGGER)).send(
      new AddTagsToStreamCommand({ StreamName: 'refunds', Tags: { approved: 'yes' } })
    );
    const after = await put();

    // Assess
    expect([before, after]).toEqual(['AccessDeniedException', 'accepted']);
  });

  it('refuses CreateStream with the tag to anyone else (request tags), and never blocks reads', async () => {
    // Act
    const create = await clientAs(ACCOUNT)
      .send(new CreateStreamCommand({ StreamName: 'forged', ShardCount: 1, Tags: { approved: 'yes' } }))
      .catch((error: Error) => error.name);
    const read = await clientAs(ACCOUNT).send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }));

    // Assess
    expect(create).toBe('AccessDeniedException');
    expect(tags.has('forged')).toBe(false);
    expect(read.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
  });
});
