import { InvalidEventError } from '../../../src/domain/errors';
import { type ParseOptions, parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { createStreamEvent } from '../../helpers/createStreamEvent';

const requestOf = (event: unknown, options?: ParseOptions) => {
  const parsed = parseStreamEvent(event, options);
  if (parsed.kind !== 'Trigger') throw new Error(`ignored: ${parsed.reason}`);
  return parsed.request;
};

const issuesOf = (event: unknown): string[] => {
  try {
    parseStreamEvent(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
};

describe('parseStreamEvent: CreateStream', () => {
  it('extracts the stream, account, region and ARN of a successful CreateStream', () => {
    // Prepare
    const event = createStreamEvent({ streamName: 'orders.v2_x-1', eventId: 'e-1' });

    // Act
    const request = requestOf(event);

    // Assess
    expect(request).toEqual({
      eventId: 'e-1',
      eventTime: '2026-11-25T10:00:00Z',
      trigger: 'CreateStream',
      account: '123456789012',
      region: 'eu-west-1',
      partition: 'aws',
      streamName: 'orders.v2_x-1',
      streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders.v2_x-1',
    });
  });

  it.each([
    ['us-east-1', 'arn:aws:kinesis:us-east-1:123456789012:stream/s'],
    ['cn-north-1', 'arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s'],
    ['cn-northwest-1', 'arn:aws-cn:kinesis:cn-northwest-1:123456789012:stream/s'],
    ['us-gov-west-1', 'arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/s'],
    ['us-gov-east-1', 'arn:aws-us-gov:kinesis:us-gov-east-1:123456789012:stream/s'],
    ['ap-southeast-5', 'arn:aws:kinesis:ap-southeast-5:123456789012:stream/s'],
    ['us-iso-east-1', 'arn:aws-iso:kinesis:us-iso-east-1:123456789012:stream/s'],
    ['us-isob-east-1', 'arn:aws-iso-b:kinesis:us-isob-east-1:123456789012:stream/s'],
    ['eu-isoe-west-1', 'arn:aws-iso-e:kinesis:eu-isoe-west-1:123456789012:stream/s'],
    ['us-isof-south-1', 'arn:aws-iso-f:kinesis:us-isof-south-1:123456789012:stream/s'],
    ['eusc-de-east-1', 'arn:aws-eusc:kinesis:eusc-de-east-1:123456789012:stream/s'],
  ])('builds the ARN with the partition of %s', (region, arn) => {
    // Prepare
    const event = createStreamEvent({ region, streamName: 's' });

    // Act
    const request = requestOf(event);

    // Assess
    expect(request.streamArn).toBe(arn);
  });

  it('parses an event of the European Sovereign Cloud (eusc-de-east-1)', () => {
    // Prepare
    const event = createStreamEvent({ region: 'eusc-de-east-1', streamName: 'telemetry', eventId: 'e-eusc' });

    // Act
    const request = requestOf(event);

    // Assess
    expect(request).toMatchObject({
      region: 'eusc-de-east-1',
      partition: 'aws-eusc',
      streamArn: 'arn:aws-eusc:kinesis:eusc-de-east-1:123456789012:stream/telemetry',
    });
  });

  it.each([['moon-1'], ['xx-fake-1'], ['aws-global'], ['EU-WEST-1']])(
    'rejects the unknown region %s with an issue naming the SDK partition data',
    (awsRegion) => {
      // Prepare
      const event = createStreamEvent({ detail: { awsRegion } });

      // Act & Assess
      expect(() => requestOf(event)).toThrow(
        /detail\.awsRegion: expected an AWS region known to the AWS SDK partition data/
      );
    }
  );

  it.each(['1.00', '1.05', '1.08', '1.09', '1.10', '1.11'])('accepts CloudTrail eventVersion %s', (eventVersion) => {
    // Prepare
    const event = createStreamEvent({ detail: { eventVersion } });

    // Act & Assess
    expect(() => requestOf(event)).not.toThrow();
  });

  it('accepts responseElements absent or null and unknown extra fields', () => {
    // Prepare
    const event = createStreamEvent({
      detail: { responseElements: undefined, futureField: { a: 1 }, vpcEndpointId: 'vpce-1' },
    });

    // Act & Assess
    expect(requestOf({ ...event, extra: true }).streamName).toBe('orders');
  });

  it('falls back to the envelope account when recipientAccountId is absent', () => {
    // Prepare
    const event = createStreamEvent({ account: '210987654321', detail: { recipientAccountId: undefined } });

    // Act
    const request = requestOf(event);

    // Assess
    expect(request.account).toBe('210987654321');
    expect(request.streamArn).toBe('arn:aws:kinesis:eu-west-1:210987654321:stream/orders');
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['slash', 'a/b'],
    ['space', 'a b'],
    ['unicode', 'strëam'],
    ['injection', "x'; DROP TABLE--"],
    ['colon', 'arn:aws:kinesis'],
  ])('rejects a %s stream name', (_label, streamName) => {
    // Prepare
    const event = createStreamEvent({ streamName });

    // Act
    const paths = issuesOf(event);

    // Assess
    expect(paths).toEqual(['detail.requestParameters.streamName']);
  });

  it('accepts a 128-character stream name', () => {
    // Prepare
    const event = createStreamEvent({ streamName: 'a'.repeat(128) });

    // Act & Assess
    expect(requestOf(event).streamName).toHaveLength(128);
  });

  it.each([
    ['other eventName', { detail: { eventName: 'DeleteStream' } }, 'detail.eventName'],
    ['errorCode present', { detail: { errorCode: 'LimitExceededException', errorMessage: 'x' } }, 'detail.errorCode'],
    ['other eventSource', { detail: { eventSource: 'sqs.amazonaws.com' } }, 'detail.eventSource'],
    ['eventVersion 2.0', { detail: { eventVersion: '2.00' } }, 'detail.eventVersion'],
    ['missing eventID', { detail: { eventID: undefined } }, 'detail.eventID'],
    ['numeric eventID', { detail: { eventID: 42 } }, 'detail.eventID'],
    ['bad region', { detail: { awsRegion: 'moon-1' } }, 'detail.awsRegion'],
    ['bad eventTime', { detail: { eventTime: 'yesterday' } }, 'detail.eventTime'],
    ['missing requestParameters', { detail: { requestParameters: null } }, 'detail.requestParameters'],
    ['bad recipient account', { detail: { recipientAccountId: '12345' } }, 'detail.recipientAccountId'],
  ])('rejects an event with %s, naming %s', (_label, overrides, path) => {
    // Prepare
    const event = createStreamEvent(overrides as Parameters<typeof createStreamEvent>[0]);

    // Act
    const paths = issuesOf(event);

    // Assess
    expect(paths).toContain(path);
  });

  it.each([
    ['null', null, '(event)'],
    ['a string', 'CreateStream', '(event)'],
    ['an array', [], '(event)'],
    ['other source', { ...createStreamEvent(), source: 'aws.s3' }, 'source'],
    ['other detail-type', { ...createStreamEvent(), 'detail-type': 'Scheduled Event' }, 'detail-type'],
    ['no detail', { ...createStreamEvent(), detail: undefined }, 'detail'],
  ])('rejects %s with a structured error', (_label, event, path) => {
    // Act
    const paths = issuesOf(event);

    // Assess
    expect(paths).toContain(path);
  });

  it.each([
    ['Terraform', { userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.80.0' }, 'Terraform'],
    [
      'CloudFormation',
      { userIdentity: { type: 'AssumedRole', invokedBy: 'cloudformation.amazonaws.com' } },
      'CloudFormation',
    ],
    ['the AWS CLI', { userAgent: 'aws-cli/2.15.0 Python/3.11' }, undefined],
  ])('recognises a stream created by %s', (_label, detail, engine) => {
    // Act
    const request = requestOf(createStreamEvent({ detail }));

    // Assess
    expect(request.iacEngine).toBe(engine);
  });
});
