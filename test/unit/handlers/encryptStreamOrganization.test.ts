import './organizationEnvironment';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../handlers/encrypt-stream';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { createStreamEvent, lambdaContext } from '../../helpers/createStreamEvent';
import { fakeIdempotencyTable } from '../../helpers/fakeIdempotencyTable';
import { handlerClientMocks } from '../../helpers/handlerClientMocks';
import { streamSummary } from '../../helpers/streamSummary';
import { HUB_ACCOUNT, HUB_ROLE_ARN, MEMBER_ROLE_NAME } from './organizationEnvironment';

const { kinesis, kms, sfn, events, dynamoDb, documents, reset } = handlerClientMocks();
const sts = mockClient(STSClient);
const HUB_REGION = 'eu-west-1';
const arn = (account: string, region: string) => `arn:aws:kinesis:${region}:${account}:stream/orders`;
const roleOf = (account: string) => `arn:aws:iam::${account}:role/${MEMBER_ROLE_NAME}`;
const context = () => lambdaContext(HUB_ACCOUNT, HUB_REGION) as unknown as Context;
const published = (): CompletionDetail[] =>
  events.commandCalls(PutEventsCommand).map((call) => JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? '{}'));
const executionInput = () => JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
const stsError = (name: string) =>
  new STSServiceException({ name, $fault: 'client', message: `${name} from test`, $metadata: {} });

/** Who signed each Kinesis call: the access key id and region its client resolved (as the SDK signs it). */
const signers: string[] = [];

describe('encrypt-stream handler in an organisation hub', () => {
  beforeEach(() => {
    signers.length = 0;
    fakeIdempotencyTable(dynamoDb, documents);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        Arn: `arn:aws:kms:${HUB_REGION}:${HUB_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyManager: 'AWS',
      },
    });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    kinesis.on(StartStreamEncryptionCommand).resolves({});
    // The fake resolves the calling client's credentials and region the way the SDK does before it signs.
    kinesis.on(DescribeStreamSummaryCommand).callsFake(async ({ StreamARN }: { StreamARN: string }, getClient) => {
      const client = getClient() as unknown as KinesisClient;
      const credentials = await client.config.credentials();
      signers.push(`${credentials.accessKeyId} ${await client.config.region()}`);
      return streamSummary(StreamARN, 'ACTIVE');
    });
    sts.on(AssumeRoleCommand).callsFake(async ({ RoleArn }: { RoleArn: string }) => ({
      Credentials: {
        AccessKeyId: `ASIA${RoleArn.split(':')[4]}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    }));
  });

  afterEach(() => {
    reset();
    sts.reset();
  });

  it("encrypts a member's stream with its member role and hands the role to the state machine", async () => {
    // Prepare
    const event = createStreamEvent({ account: '222222222222', region: 'us-east-1', eventId: 'evt-member' });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: roleOf('222222222222'),
      RoleSessionName: 'kinesis-auto-encrypt@evt-member',
    });
    expect(signers).toEqual(['ASIA222222222222 us-east-1']);
    expect(kinesis).toHaveReceivedCommandWith(StartStreamEncryptionCommand, {
      StreamARN: arn('222222222222', 'us-east-1'),
    });
    expect(executionInput()).toMatchObject({
      account: '222222222222',
      region: 'us-east-1',
      roleArn: roleOf('222222222222'),
    });
  });

  it('assumes a member role once for many events of that account', async () => {
    // Prepare
    const eventsOfOneMember = [1, 2, 3].map((i) =>
      createStreamEvent({ account: '555555555555', region: i === 2 ? 'eu-west-1' : 'us-east-1' })
    );

    // Act
    for (const event of eventsOfOneMember) await handler(event, context());

    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(signers).toEqual(['ASIA555555555555 us-east-1', 'ASIA555555555555 eu-west-1', 'ASIA555555555555 us-east-1']);
  });

  it("acts on the hub's own stream with its own credentials and the hub stream role", async () => {
    // Act
    const result = await handler(createStreamEvent({ account: HUB_ACCOUNT, region: HUB_REGION }), context());

    // Assess
    expect(result.outcome).toBe('Confirming');
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(signers).toEqual([`AKIAHUBFUNCTION ${HUB_REGION}`]);
    expect(executionInput().roleArn).toBe(HUB_ROLE_ARN);
  });

  it.each([
    [
      'a stream of another member',
      createStreamEvent({
        account: '222222222222',
        region: 'us-east-1',
        detail: {
          eventName: 'StopStreamEncryption',
          requestParameters: { streamARN: arn('333333333333', 'us-east-1') },
        },
      }),
      /account 333333333333 is not 222222222222 of the event/,
    ],
    [
      'a region outside MEMBER_REGIONS',
      createStreamEvent({ account: '222222222222', region: 'ap-southeast-2' }),
      /ap-southeast-2, which this hub does not govern/,
    ],
  ])('rejects %s with its reason, with no call in any member account', async (_label, event, reason) => {
    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.outcome).toBe('Rejected');
    expect(result.reason).toMatch(reason);
    expect(published()).toMatchObject([{ outcome: 'Rejected', reason: expect.stringMatching(reason) }]);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(kinesis).not.toHaveReceivedAnyCommand();
  });

  it('fails (not retried) naming the account and role when the member role cannot be assumed', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied'));

    // Act
    const result = await handler(createStreamEvent({ account: '444444444444', region: 'eu-west-1' }), context());

    // Assess
    expect(result.outcome).toBe('Failed');
    expect(result.reason).toContain(`account 444444444444: sts:AssumeRole of ${roleOf('444444444444')} was denied`);
    expect(published()).toMatchObject([
      { outcome: 'Failed', account: '444444444444', error: { name: 'AccessDenied' } },
    ]);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
  });

  it('throws when STS throttles, so Lambda retries the event (nothing published)', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(stsError('Throttling'));

    // Act
    const handled = handler(createStreamEvent({ account: '666666666666', region: 'eu-west-1' }), context());

    // Assess
    await expect(handled).rejects.toThrow(/sts:AssumeRole .* failed transiently: throttled/);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
  });
});
