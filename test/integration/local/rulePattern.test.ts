import type { BusEvent } from '../../../tools/dev';
import {
  buildCloudTrailRecord,
  LocalEventBridge,
  matchesPattern,
  ruleFromServerless,
  toEventBridgeEnvelope,
} from '../../../tools/dev';

const call = {
  account: '111111111111',
  region: 'eu-west-1',
  accessKeyId: '111111111111',
  request: { StreamName: 's', ShardCount: 1 },
};
const createStream = toEventBridgeEnvelope(buildCloudTrailRecord({ ...call, operation: 'CreateStream' }));
// The tagging API by ARN (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html).
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:111111111111:stream/s';
const tagging = (operation: string, request: Record<string, unknown>) =>
  toEventBridgeEnvelope(
    buildCloudTrailRecord({ ...call, operation, request: { ResourceARN: STREAM_ARN, ...request } })
  );

describe('local EventBridge rule from serverless.yml', () => {
  const { pattern } = ruleFromServerless();

  it.each([
    { case: 'a recorded successful CreateStream', event: createStream, matches: true },
    {
      case: 'a CreateStream with errorCode',
      event: toEventBridgeEnvelope(
        buildCloudTrailRecord({
          ...call,
          operation: 'CreateStream',
          errorCode: 'ResourceInUseException',
          errorMessage: 'in use',
        })
      ),
      matches: false,
    },
    {
      case: 'another Kinesis call',
      event: toEventBridgeEnvelope(buildCloudTrailRecord({ ...call, operation: 'DeleteStream' })),
      matches: false,
    },
    {
      case: 'a recorded TagResource (its tag keys are filtered by the function)',
      event: tagging('TagResource', { Tags: { team: 'a' } }),
      matches: true,
    },
    {
      case: 'a recorded UntagResource of a kinesis-auto-encrypt: key',
      event: tagging('UntagResource', { TagKeys: ['team', 'kinesis-auto-encrypt:exempt'] }),
      matches: true,
    },
    {
      case: 'a recorded UntagResource of other keys only',
      event: tagging('UntagResource', { TagKeys: ['team'] }),
      matches: false,
    },
    { case: 'another source', event: { ...createStream, source: 'aws.firehose' }, matches: false },
    {
      case: 'another detail-type',
      event: { ...createStream, 'detail-type': 'AWS Service Event via CloudTrail' },
      matches: false,
    },
    {
      case: 'another eventSource',
      event: { ...createStream, detail: { ...createStream.detail, eventSource: 'firehose.amazonaws.com' } },
      matches: false,
    },
  ])('matches $case: $matches, and the bus delivers it accordingly', async ({ event, matches }) => {
    // Prepare
    const bus = new LocalEventBridge();
    const delivered: BusEvent[] = [];
    bus.addRule({ name: 'encryptStream', pattern, target: (received) => void delivered.push(received) });

    // Act
    bus.publish(event);
    await bus.idle();

    // Assess
    expect(matchesPattern(pattern, event)).toBe(matches);
    expect(delivered).toHaveLength(matches ? 1 : 0);
  });
});
