import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListTagsForStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  type BusEvent,
  createKinesisRecorder,
  KINESIS_TARGET_PREFIX,
  LocalEventBridge,
  LocalGateway,
  startKinesisLocal,
  streamNameOf,
} from '../src/index';

/*
 * The package on its own, as its README shows it: a gateway, kinesis-local behind the CloudTrail recorder, a bus.
 * A CreateStream call becomes the CloudTrail record EventBridge delivers ("AWS API Call via CloudTrail",
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kinesis.html), with the caller's account.
 */
/** A gateway, kinesis-local behind the CloudTrail recorder, a bus that keeps every event, a client of account 444455556666. */
const standaloneCloud = async () => {
  const gateway = new LocalGateway({});
  const endpoint = await gateway.start();
  const logFile = join(mkdtempSync(join(tmpdir(), 'local-cloud-')), 'kinesis.log');
  const kinesis = await startKinesisLocal({ createDurationMs: 100, updateDurationMs: 100, logFile });
  const bus = new LocalEventBridge({});
  const events: BusEvent[] = [];
  bus.on('event', (event: BusEvent) => events.push(event));
  const recorder = createKinesisRecorder({ upstream: kinesis.endpoint, onEvent: (event) => bus.publish(event) });
  gateway.register(KINESIS_TARGET_PREFIX, recorder.service);
  const client = new KinesisClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: '444455556666', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
  const stop = async (): Promise<void> => {
    client.destroy();
    recorder.stop();
    await kinesis.stop();
    await gateway.stop();
  };
  return { client, events, recorder, bus, stop };
};

describe('local cloud without any product wiring', () => {
  it('records a CreateStream call on the bus as a CloudTrail event of the caller account', async () => {
    // Prepare
    const { client, events, recorder, bus, stop } = await standaloneCloud();
    try {
      // Act
      await client.send(new CreateStreamCommand({ StreamName: 'standalone', ShardCount: 1 }));
      await recorder.idle();
      await bus.idle();

      // Assess
      expect(events).toEqual([
        expect.objectContaining({
          source: 'aws.kinesis',
          'detail-type': 'AWS API Call via CloudTrail',
          account: '444455556666',
          region: 'eu-west-1',
          detail: expect.objectContaining({
            eventName: 'CreateStream',
            requestParameters: expect.objectContaining({ streamName: 'standalone' }),
            userIdentity: expect.objectContaining({ type: 'IAMUser', accountId: '444455556666' }),
          }),
        }),
      ]);
    } finally {
      await stop();
    }
  });

  // TagResource / UntagResource, the tagging API that names a stream (or a consumer) by ARN
  // (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html,
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html): kinesis-local 0.6.2 implements
  // both on streams, and CloudTrail records their request parameters as resourceARN, tags and tagKeys.
  it('tags and untags a stream by ARN on kinesis-local and records TagResource / UntagResource', async () => {
    // Prepare
    const { client, events, recorder, bus, stop } = await standaloneCloud();
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'tagged', ShardCount: 1 }));
      const { StreamDescriptionSummary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: 'tagged' })
      );
      const arn = StreamDescriptionSummary?.StreamARN ?? '';

      // Act
      await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: { team: 'a', 'policy:exempt': 'true' } }));
      await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
      const { Tags } = await client.send(new ListTagsForStreamCommand({ StreamName: 'tagged' }));
      await recorder.idle();
      await bus.idle();

      // Assess
      expect(Tags).toEqual([{ Key: 'policy:exempt', Value: 'true' }]);
      const tagging = events.filter((event) => event.detail.eventName !== 'CreateStream').map(({ detail }) => detail);
      expect(tagging).toEqual([
        expect.objectContaining({
          eventName: 'TagResource',
          requestParameters: { resourceARN: arn, tags: { team: 'a', 'policy:exempt': 'true' } },
        }),
        expect.objectContaining({
          eventName: 'UntagResource',
          requestParameters: { resourceARN: arn, tagKeys: ['team'] },
        }),
      ]);
      expect(tagging.map((detail) => streamNameOf(detail.requestParameters))).toEqual(['tagged', 'tagged']);
      expect(streamNameOf({ resourceARN: `${arn}/consumer/app:1700000000` })).toBeUndefined();
    } finally {
      await stop();
    }
  });
});
