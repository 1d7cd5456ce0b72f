import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStreamSummaryCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { createClients, createStsClient } from '../../../src/aws/clients';

const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const summary = {
  StreamDescriptionSummary: {
    StreamName: 's',
    StreamARN: ARN,
    StreamStatus: 'ACTIVE',
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: 1_764_000_000,
    EnhancedMonitoring: [],
    OpenShardCount: 1,
  },
};

/** A Kinesis endpoint that answers each request from a script: an error type, or success. */
const scriptedKinesis = async (script: Array<string | 'ok'>) => {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen.push(String(request.headers['x-amz-target']));
      const step = script[Math.min(seen.length - 1, script.length - 1)];
      if (step === 'ok') {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify(String(request.headers['x-amz-target']).endsWith('DescribeStreamSummary') ? summary : {})
        );
        return;
      }
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': String(step) });
      response.end(JSON.stringify({ __type: step, message: `${step} from test` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
};

describe('createClients (real SDK retry behaviour on the wire)', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  const clientsFor = (url: string) => {
    process.env.AWS_ENDPOINT_URL_KINESIS = url;
    process.env.AWS_ENDPOINT_URL_SFN = url;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = '123456789012';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    return createClients();
  };

  it.each([
    [['KMSThrottlingException', 'KMSThrottlingException', 'ok'], 3, 'resolves'],
    [['LimitExceededException', 'ok'], 1, 'rejects'],
    [['KMSDisabledException', 'ok'], 1, 'rejects'],
    [['KMSThrottlingException'], 4, 'rejects'],
  ] as const)('StartStreamEncryption answered %j is sent %i time(s) and %s', async (script, calls, settles) => {
    // Prepare
    const endpoint = await scriptedKinesis([...script]);
    const { kinesisApply } = clientsFor(endpoint.url);

    // Act
    const sent = kinesisApply.send(
      new StartStreamEncryptionCommand({ StreamARN: ARN, EncryptionType: 'KMS', KeyId: 'alias/a' })
    );

    // Assess
    if (settles === 'resolves') await expect(sent).resolves.toBeDefined();
    else await expect(sent).rejects.toThrow();
    expect(endpoint.seen).toEqual(Array(calls).fill('Kinesis_20131202.StartStreamEncryption'));
    endpoint.close();
  });

  it('retries a throttled DescribeStreamSummary (LimitExceededException) with backoff', async () => {
    // Prepare
    const endpoint = await scriptedKinesis(['LimitExceededException', 'ok']);
    const { kinesis } = clientsFor(endpoint.url);

    // Act
    const result = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: ARN }));

    // Assess
    expect(result.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    expect(endpoint.seen).toHaveLength(2);
    endpoint.close();
  });

  it('retries a throttled StartExecution', async () => {
    // Prepare
    const endpoint = await scriptedKinesis(['ThrottlingException', 'ok']);
    const { sfn } = clientsFor(endpoint.url);

    // Act
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:s',
        name: 'e',
        input: '{}',
      })
    );

    // Assess
    expect(endpoint.seen).toEqual(['AWSStepFunctions.StartExecution', 'AWSStepFunctions.StartExecution']);
    endpoint.close();
  });
});

describe('createStsClient', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  /** The host a request of the client would go to (stopped before it is signed and sent). */
  const hostOf = async (client: STSClient): Promise<string> => {
    let host = '';
    client.middlewareStack.add(
      (_next) => async (args) => {
        host = (args.request as { hostname: string }).hostname;
        throw new Error('stop');
      },
      { step: 'build' }
    );
    await client
      .send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 's' }))
      .catch(() => {});
    return host;
  };

  it.each([
    ['eu-west-1', undefined, 'sts.eu-west-1.amazonaws.com'],
    ['us-east-1', 'legacy', 'sts.us-east-1.amazonaws.com'],
    ['cn-north-1', undefined, 'sts.cn-north-1.amazonaws.com.cn'],
  ])(
    'uses the regional endpoint of the hub region %s (AWS_STS_REGIONAL_ENDPOINTS=%s)',
    async (region, setting, host) => {
      // Prepare: https://docs.aws.amazon.com/sdkref/latest/guide/feature-sts-regionalized-endpoints.html
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIATEST', AWS_SECRET_ACCESS_KEY: 'test' });
      delete process.env.AWS_ENDPOINT_URL_STS;
      delete process.env.AWS_ENDPOINT_URL;
      if (setting !== undefined) process.env.AWS_STS_REGIONAL_ENDPOINTS = setting;

      // Act
      const hostname = await hostOf(createStsClient(region));

      // Assess
      expect(hostname).toBe(host);
    }
  );

  it('follows AWS_ENDPOINT_URL_STS like the other clients (local cloud)', async () => {
    // Prepare
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIATEST',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4599',
    });

    // Act
    const hostname = await hostOf(createStsClient('us-east-1'));

    // Assess
    expect(hostname).toBe('127.0.0.1');
  });
});
