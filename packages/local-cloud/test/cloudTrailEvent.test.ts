import { buildCloudTrailRecord, lowerCamelKeys, shortErrorCode, toEventBridgeEnvelope } from '../src/cloudTrailEvent';
import { cloudTrailTime } from '../src/cloudTrailTime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const call = {
  operation: 'CreateStream',
  account: '111111111111',
  region: 'eu-west-1',
  accessKeyId: '111111111111',
  request: { StreamName: 'orders', ShardCount: 2, StreamModeDetails: { StreamMode: 'PROVISIONED' } },
  userAgent: 'aws-cli/2.15.0',
  requestId: 'f3c2b9a0-0000-4000-8000-000000000001',
  eventTime: new Date('2025-03-04T05:06:07.890Z'),
};

describe('cloudTrailEvent', () => {
  it('builds a CloudTrail record of the real shape for a successful call', () => {
    // Act
    const record = buildCloudTrailRecord(call);

    // Assess
    expect(record).toEqual({
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: expect.any(String),
        arn: 'arn:aws:iam::111111111111:user/local',
        accountId: '111111111111',
        accessKeyId: '111111111111',
        userName: 'local',
      },
      eventTime: '2025-03-04T05:06:07Z',
      eventSource: 'kinesis.amazonaws.com',
      eventName: 'CreateStream',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { streamName: 'orders', shardCount: 2, streamModeDetails: { streamMode: 'PROVISIONED' } },
      responseElements: null,
      requestID: call.requestId,
      eventID: expect.stringMatching(UUID),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111111111111',
      eventCategory: 'Management',
      tlsDetails: {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: 'kinesis.eu-west-1.amazonaws.com',
      },
    });
    expect(record).not.toHaveProperty('errorCode');
  });

  it.each([
    { errorType: 'ResourceInUseException', expected: 'ResourceInUseException' },
    { errorType: 'com.amazonaws.kinesis#LimitExceededException', expected: 'LimitExceededException' },
    { errorType: 'ValidationException:http://internal.amazon.com/coral/', expected: 'ValidationException' },
  ])('records a failed call with errorCode $expected', ({ errorType, expected }) => {
    // Act
    const record = buildCloudTrailRecord({
      ...call,
      errorCode: errorType,
      errorMessage: 'Stream orders already exists',
    });

    // Assess
    expect(record).toMatchObject({
      errorCode: expected,
      errorMessage: 'Stream orders already exists',
      responseElements: null,
    });
  });

  it('gives every record a fresh eventID', () => {
    // Act
    const ids = new Set([buildCloudTrailRecord(call).eventID, buildCloudTrailRecord(call).eventID]);

    // Assess
    expect(ids.size).toBe(2);
  });

  it('wraps a record in the EventBridge envelope', () => {
    // Prepare
    const record = buildCloudTrailRecord(call);

    // Act
    const envelope = toEventBridgeEnvelope(record);

    // Assess
    expect(envelope).toEqual({
      version: '0',
      id: expect.stringMatching(UUID),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.kinesis',
      account: '111111111111',
      time: '2025-03-04T05:06:07Z',
      region: 'eu-west-1',
      resources: [],
      detail: record,
    });
    expect(envelope.id).not.toBe(record.eventID);
  });

  it.each([
    {
      input: { StreamARN: 'arn', KeyId: 'k', EncryptionType: 'KMS' },
      expected: { streamARN: 'arn', keyId: 'k', encryptionType: 'KMS' },
    },
    { input: { StreamName: 's', Tags: { CostCentre: 'x' } }, expected: { streamName: 's', tags: { CostCentre: 'x' } } },
    { input: { ShardToMerge: 'a', List: [{ Key: 1 }] }, expected: { shardToMerge: 'a', list: [{ key: 1 }] } },
  ])('lower-camels request keys of $input', ({ input, expected }) => {
    // Act
    const result = lowerCamelKeys(input);

    // Assess
    expect(result).toEqual(expected);
  });

  it.each([
    { type: 'aws.protocoljson#ResourceNotFoundException', expected: 'ResourceNotFoundException' },
    { type: 'InvalidArgumentException', expected: 'InvalidArgumentException' },
  ])('shortens error type $type', ({ type, expected }) => {
    // Act
    const code = shortErrorCode(type);

    // Assess
    expect(code).toBe(expected);
  });

  it('formats CloudTrail time without milliseconds', () => {
    // Act
    const time = cloudTrailTime(new Date('2025-12-31T23:59:59.999Z'));

    // Assess
    expect(time).toBe('2025-12-31T23:59:59Z');
  });
});
