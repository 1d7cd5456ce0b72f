import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountCredentials } from '../../../src/aws/accountCredentials';
import { AccountPortsProvider } from '../../../src/aws/accountPortsProvider';
import { ConfigurationError } from '../../../src/domain/errors';
import { AccountUnreachableError } from '../../../src/domain/failures';
import type { StreamPorts } from '../../../src/domain/ports';
import { type StreamRequest, Trigger } from '../../../src/domain/streamRequest';
import { FakeKeys } from '../../fakes/fakeKeys';
import { FakeStreams } from '../../fakes/fakeStreams';

const HUB = { partition: 'aws', account: '111111111111', region: 'us-east-1' };
const ROLE = 'kinesis-auto-encrypt-member';

const requestIn = (account: string, region: string, eventId = 'evt-1'): StreamRequest => ({
  eventId,
  eventTime: '2026-12-01T10:00:00Z',
  trigger: Trigger.CreateStream,
  account,
  region,
  partition: 'aws',
  streamName: 'orders',
  streamArn: `arn:aws:kinesis:${region}:${account}:stream/orders`,
});

/** A Kinesis and KMS endpoint that records who signed each request and answers from a script. */
const scriptedEndpoint = async (answer: () => string | 'ok') => {
  const seen: Array<{ target: string; accessKeyId: string; region: string }> = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      // SigV4: Credential=<access key id>/<date>/<region>/<service>/aws4_request
      const [, accessKeyId = '', region = ''] =
        /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(String(request.headers.authorization)) ?? [];
      const target = String(request.headers['x-amz-target']);
      seen.push({ target, accessKeyId, region });
      const step = answer();
      if (step === 'ok') {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            StreamDescriptionSummary: {
              StreamName: 'orders',
              StreamARN: 'arn',
              StreamStatus: 'ACTIVE',
              RetentionPeriodHours: 24,
              StreamCreationTimestamp: 1_764_000_000,
              EnhancedMonitoring: [],
              OpenShardCount: 1,
            },
          })
        );
        return;
      }
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': step });
      response.end(JSON.stringify({ __type: step, message: 'The security token included in the request is invalid.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
};

describe('AccountPortsProvider', () => {
  const saved = { ...process.env };
  const stsClient = new STSClient({ region: HUB.region });
  const sts = mockClient(stsClient);
  const homePorts: StreamPorts = {
    streams: new FakeStreams([]),
    keys: new FakeKeys({}),
    keyCheck: {} as StreamPorts['keyCheck'],
  };
  const keyChecks = { ttlMs: 0, mode: 'off', onWarning: () => undefined } as const;
  let endpoint: Awaited<ReturnType<typeof scriptedEndpoint>>;
  let answer: string | 'ok';

  const providerWith = (credentials?: AccountCredentials) =>
    new AccountPortsProvider({ home: HUB, homePorts, keyChecks, ...(credentials && { credentials }) });
  const memberCredentials = () => new AccountCredentials(stsClient, { partition: 'aws', roleName: ROLE });

  beforeAll(async () => {
    endpoint = await scriptedEndpoint(() => answer);
  });

  beforeEach(() => {
    answer = 'ok';
    endpoint.seen.length = 0;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_KINESIS: endpoint.url,
      AWS_ENDPOINT_URL_KMS: endpoint.url,
      AWS_ACCESS_KEY_ID: 'AKIAHUBFUNCTION',
      AWS_SECRET_ACCESS_KEY: 'test',
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
    process.env = { ...saved };
    sts.reset();
  });

  afterAll(() => {
    endpoint.close();
  });

  it("gives the function's own ports for its own account and region (no STS)", () => {
    // Act
    const ports = providerWith(memberCredentials()).portsFor(requestIn(HUB.account, HUB.region));

    // Assess
    expect(ports).toBe(homePorts);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
  });

  it("acts in a member account with its member role's credentials, one AssumeRole for all its regions", async () => {
    // Prepare
    const provider = providerWith(memberCredentials());

    // Act
    const east = provider.portsFor(requestIn('222222222222', 'us-east-1', 'evt-east'));
    const west = provider.portsFor(requestIn('222222222222', 'eu-west-1', 'evt-west'));
    await Promise.all([
      east.streams.describe(requestIn('222222222222', 'us-east-1').streamArn),
      west.streams.describe(requestIn('222222222222', 'eu-west-1').streamArn),
      east.streams.describe(requestIn('222222222222', 'us-east-1').streamArn),
    ]);

    // Assess
    expect(provider.portsFor(requestIn('222222222222', 'us-east-1'))).toBe(east);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::222222222222:role/${ROLE}`,
      RoleSessionName: 'kinesis-auto-encrypt@evt-west',
    });
    expect(endpoint.seen.map(({ accessKeyId, region }) => `${accessKeyId} ${region}`).sort()).toEqual([
      'ASIA222222222222 eu-west-1',
      'ASIA222222222222 us-east-1',
      'ASIA222222222222 us-east-1',
    ]);
  });

  it('uses the function’s own credentials in another region of its own account', async () => {
    // Prepare
    const provider = providerWith(memberCredentials());

    // Act
    await provider.portsFor(requestIn(HUB.account, 'eu-west-1')).streams.describe('arn');

    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
    expect(endpoint.seen).toEqual([
      { target: 'Kinesis_20131202.DescribeStreamSummary', accessKeyId: 'AKIAHUBFUNCTION', region: 'eu-west-1' },
    ]);
  });

  it('refuses another account without member credentials (account deployment)', () => {
    // Act
    const ports = () => providerWith().portsFor(requestIn('222222222222', HUB.region));

    // Assess
    expect(ports).toThrow(ConfigurationError);
  });

  it('fails permanently, naming the account and role, when the member role cannot be assumed; 0 calls there', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejects(
        new STSServiceException({ name: 'AccessDenied', $fault: 'client', message: 'not authorized', $metadata: {} })
      );

    // Act
    const failure = await providerWith(memberCredentials())
      .portsFor(requestIn('444444444444', 'us-east-1'))
      .streams.describe('arn')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AccountUnreachableError);
    expect(failure).toMatchObject({
      retryable: false,
      account: '444444444444',
      message: expect.stringContaining(`arn:aws:iam::444444444444:role/${ROLE}`),
    });
    expect(endpoint.seen).toEqual([]);
  });

  // "The security token included in the request is invalid": a region not enabled for the account, or a closed
  // account (https://blog.leapp.cloud/how-to-fix-aws-invalidclienttokenid-the-security-token-included-in-the-request-is-invalid).
  it.each([
    ['Kinesis DescribeStreamSummary', (ports: StreamPorts) => ports.streams.describe('arn')],
    ['KMS DescribeKey', (ports: StreamPorts) => ports.keys.describeKey('alias/team')],
  ])('fails permanently when %s answers UnrecognizedClientException', async (_call, call) => {
    // Prepare
    answer = 'UnrecognizedClientException';
    const ports = providerWith(memberCredentials()).portsFor(requestIn('333333333333', 'eu-west-1'));

    // Act
    const failure = await call(ports).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AccountUnreachableError);
    expect(failure).toMatchObject({
      retryable: false,
      code: 'UnrecognizedClientException',
      message: expect.stringMatching(/account 333333333333 in eu-west-1: .*region is not enabled/),
    });
    expect(endpoint.seen).toHaveLength(1);
  });
});
