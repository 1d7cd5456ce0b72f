import { randomUUID } from 'node:crypto';
import { CreateStreamCommand, KinesisClient, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { completionBase } from '../../../src/completion/completionBase';
import type { ConfirmationInput } from '../../../src/domain/confirmationInput';
import type { BusEvent, BusEventMeta, LocalRequest } from '../../../tools/dev';
import { DEFAULT_KEY_ALIAS, HUB_BUS_NAME, ORG_DEFAULTS, sessionAccessKeyId, waitForActive } from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

// AssumeRole: Query protocol, AssumeRoleResult with Credentials (AccessKeyId, SecretAccessKey, SessionToken,
// Expiration) and AssumedRoleUser; refusals are `AccessDenied` (403) in the ErrorResponse shape
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
// Cross-account Task credentials: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html
const HUB = ORG_DEFAULTS.hubAccount;
const [MEMBER_A = '', MEMBER_B = '', WITHOUT_ROLE = ''] = ORG_DEFAULTS.members;
const ROLE = ORG_DEFAULTS.memberRoleName;
const roleArnOf = (account: string, name: string = ROLE): string => `arn:aws:iam::${account}:role/${name}`;

describe('local organisation: STS, member buses, Step Functions Credentials', () => {
  let harness: Harness;
  const requests: LocalRequest[] = [];
  const clients: { destroy: () => void }[] = [];
  const sts = (accessKeyId: string): STSClient => {
    const client = new STSClient({
      endpoint: harness.cloud.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  const holdCall = (name: string, eventName = 'CreateStream') =>
    harness.cloud.holdCloudTrail(
      (event) => event.detail.eventName === eventName && event.detail.requestParameters?.streamName === name
    );

  beforeAll(async () => {
    harness = await startHarness({
      org: { withoutRole: [WITHOUT_ROLE] },
    });
    harness.cloud.gateway.intercept(async (req, next) => {
      requests.push(req);
      return next();
    });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await harness?.stop();
  });

  it('gives the hub function a session of the member role whose calls are the member account’s', async () => {
    // Prepare
    const name = 'assumed-by-hub';
    const held = holdCall(name);

    // Act
    const { Credentials, AssumedRoleUser } = await sts(sessionAccessKeyId(HUB, 'function')).send(
      new AssumeRoleCommand({ RoleArn: roleArnOf(MEMBER_A), RoleSessionName: 'kinesis-auto-encrypt@e-1' })
    );
    const kinesis = new KinesisClient({
      endpoint: harness.cloud.endpoint,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken ?? '',
      },
      requestHandler: new NodeHttpHandler(),
    });
    clients.push(kinesis);
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const created = await held;

    // Assess
    expect(Credentials?.AccessKeyId).toMatch(new RegExp(`^ASIA${MEMBER_A}R[A-Z]{3}$`));
    expect(Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER_A}:assumed-role/${ROLE}/kinesis-auto-encrypt@e-1`);
    expect(created).toMatchObject({ account: MEMBER_A, region: 'eu-west-1' });
    expect(created.detail.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${MEMBER_A}:assumed-role/${ROLE}/kinesis-auto-encrypt@e-1`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArnOf(MEMBER_A), userName: ROLE } },
    });
    await expect(waitForActive(harness.client(MEMBER_A, 'eu-west-1'), name)).resolves.toBeUndefined();
  });

  it.each([
    { caller: 'an IAM user of another member', accessKeyId: MEMBER_B, account: MEMBER_A },
    {
      caller: 'the hub function, role missing',
      accessKeyId: sessionAccessKeyId(HUB, 'function'),
      account: WITHOUT_ROLE,
    },
    {
      caller: 'the hub function, no member',
      accessKeyId: sessionAccessKeyId(HUB, 'function'),
      account: '555555555555',
    },
    { caller: 'a member’s own IAM user', accessKeyId: MEMBER_A, account: MEMBER_A },
  ])('refuses AssumeRole with AccessDenied: $caller', async ({ accessKeyId, account }) => {
    // Act
    const refused = sts(accessKeyId).send(
      new AssumeRoleCommand({ RoleArn: roleArnOf(account), RoleSessionName: 'forged' })
    );

    // Assess
    await expect(refused).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(
        `is not authorized to perform: sts:AssumeRole on resource: ${roleArnOf(account)}`
      ),
      $metadata: { httpStatusCode: 403 },
    });
    expect(harness.cloud.sts.calls.at(-1)).toMatchObject({ roleArn: roleArnOf(account), allowed: false });
  });

  it('forwards a member’s CloudTrail event from its default bus to the hub bus, account and region kept', async () => {
    // Prepare
    const name = 'forwarded';
    const seen: { event: BusEvent; meta: BusEventMeta }[] = [];
    const listener = (event: BusEvent, meta: BusEventMeta) => seen.push({ event, meta });
    harness.cloud.bus.on('event', listener);

    // Act
    await harness.createStream(MEMBER_B, 'eu-west-1', name);
    await harness.cloud.idle();
    harness.cloud.bus.off('event', listener);

    // Assess
    const ofStream = seen.filter(
      ({ event }) => (event.detail.requestParameters as { streamName?: string } | null)?.streamName === name
    );
    expect(ofStream.map(({ meta }) => meta)).toEqual([
      { account: MEMBER_B, region: 'eu-west-1', eventBusName: 'default' },
      { account: HUB, region: ORG_DEFAULTS.hubRegion, eventBusName: HUB_BUS_NAME },
    ]);
    expect(ofStream[1]?.event).toMatchObject({ account: MEMBER_B, region: 'eu-west-1', source: 'aws.kinesis' });
  });

  const confirm = async (name: string, account: string, roleArn: string) => {
    const region = 'us-east-1';
    const held = holdCall(name);
    const client = harness.client(account, region);
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await held;
    await waitForActive(client, name);
    // The execution alone acts on the stream: the pipeline does not see the owner's calls.
    const heldApply = holdCall(name, 'StartStreamEncryption');
    await client.send(
      new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: DEFAULT_KEY_ALIAS })
    );
    await heldApply;
    const input: ConfirmationInput & { roleArn: string } = {
      eventId: randomUUID(),
      streamArn: `arn:aws:kinesis:${region}:${account}:stream/${name}`,
      streamName: name,
      account,
      region,
      keyId: DEFAULT_KEY_ALIAS,
      eventBusName: 'default',
      streamCreatedAt: new Date().toISOString(),
      appliedAt: new Date().toISOString(),
      applyLatencyMs: 0,
      probe: false,
      trigger: 'CreateStream',
      policy: { mode: 'enforce', keySource: 'default' },
      otherKeyCompliance: 'Compliant',
      roleArn,
    };
    const sfn = new SFNClient({
      endpoint: harness.cloud.endpoint,
      region,
      credentials: { accessKeyId: sessionAccessKeyId(HUB, 'function'), secretAccessKey: 'local' },
    });
    clients.push(sfn);
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: harness.cloud.stepFunctions.stateMachineArn(HUB, region),
        name,
        input: JSON.stringify({ ...input, completion: completionBase(input) }),
      })
    );
    const execution = harness.cloud.stepFunctions.executions.get(executionArn);
    await execution?.done;
    await harness.cloud.idle();
    // The execution's own completion (the member's StartStreamEncryption is an event of its own).
    const completion = harness.completionsFor(name).find(({ detail }) => detail.eventId === input.eventId);
    return { execution, completion };
  };

  it('runs the hub’s Kinesis tasks with the member role of the execution input', async () => {
    // Act
    const { execution, completion } = await confirm('confirmed-in-member', MEMBER_A, roleArnOf(MEMBER_A));

    // Assess
    expect(execution?.status).toBe('SUCCEEDED');
    expect(completion?.detail).toMatchObject({ outcome: 'Encrypted', account: MEMBER_A });
    expect(harness.cloud.sts.calls).toContainEqual(
      expect.objectContaining({
        callerArn: expect.stringContaining(
          `:assumed-role/kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole/`
        ),
        roleArn: roleArnOf(MEMBER_A),
        allowed: true,
      })
    );
  });

  it('fails the confirmation without a Kinesis call when the role of the execution input refuses', async () => {
    // Prepare
    const name = 'wrong-role';
    const wrongRole = roleArnOf(MEMBER_A, 'not-the-member-role');

    // Act
    const { execution, completion } = await confirm(name, MEMBER_A, wrongRole);

    // Assess
    const describes = requests.filter(
      (req) => req.operation === 'DescribeStreamSummary' && req.account === MEMBER_A && req.accessKeyId !== MEMBER_A
    );
    expect(execution?.status).toBe('FAILED');
    expect(completion?.detail).toMatchObject({ outcome: 'Failed', account: MEMBER_A });
    expect(JSON.stringify(completion?.detail)).toContain('AccessDenied');
    expect(harness.cloud.sts.calls.at(-1)).toMatchObject({ roleArn: wrongRole, allowed: false });
    expect(describes.filter((req) => JSON.stringify(req.json).includes(name))).toEqual([]);
  });
});
