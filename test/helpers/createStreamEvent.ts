import { randomUUID } from 'node:crypto';

/** A realistic EventBridge `AWS API Call via CloudTrail` event for CreateStream. */
export const createStreamEvent = (
  overrides: {
    streamName?: string;
    account?: string;
    region?: string;
    eventId?: string;
    detail?: Record<string, unknown>;
  } = {}
) => {
  const account = overrides.account ?? '123456789012';
  const region = overrides.region ?? 'eu-west-1';
  const streamName = overrides.streamName ?? 'orders';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.kinesis',
    account,
    time: '2026-11-25T10:00:00Z',
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice@example.com',
        arn: `arn:aws:sts::${account}:assumed-role/Admin/alice@example.com`,
        accountId: account,
        accessKeyId: 'ASIAEXAMPLEACCESSKEY',
      },
      eventTime: '2026-11-25T10:00:00Z',
      eventSource: 'kinesis.amazonaws.com',
      eventName: 'CreateStream',
      awsRegion: region,
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0 Python/3.11',
      requestParameters: { streamName, shardCount: 1 },
      responseElements: null,
      requestID: randomUUID(),
      eventID: overrides.eventId ?? randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
      ...overrides.detail,
    },
  };
};

/** A Lambda context as the runtime passes it. */
export const lambdaContext = (account = '123456789012', region = 'eu-west-1', remainingMs = 120_000) => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'kinesis-auto-encrypt-test-encryptStream',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:kinesis-auto-encrypt-test-encryptStream`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/kinesis-auto-encrypt-test-encryptStream',
  logStreamName: '2026/11/25/[$LATEST]abc',
  getRemainingTimeInMillis: () => remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
