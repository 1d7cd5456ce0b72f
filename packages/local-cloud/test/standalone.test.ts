import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kinesis';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  type BusEvent,
  createKinesisRecorder,
  KINESIS_TARGET_PREFIX,
  KinesisTagIndex,
  LocalEventBridge,
  LocalGateway,
  localTagging,
  startKinesisLocal,
  streamNameOf,
  TAGGING_TARGET_PREFIX,
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
  const tagIndex = new KinesisTagIndex();
  gateway.intercept(tagIndex.interceptor());
  gateway.register(TAGGING_TARGET_PREFIX, localTagging(tagIndex));
  const clients: { destroy(): void }[] = [];
  const clientOf = (account: string, region: string) => {
    const where = {
      endpoint,
      region,
      credentials: { accessKeyId: account, secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    };
    const kinesisClient = new KinesisClient({ ...where, maxAttempts: 1 });
    const tagging = new ResourceGroupsTaggingAPIClient(where);
    clients.push(kinesisClient, tagging);
    return { kinesis: kinesisClient, tagging };
  };
  const client = clientOf('444455556666', 'eu-west-1').kinesis;
  const stop = async (): Promise<void> => {
    for (const each of clients) each.destroy();
    recorder.stop();
    await kinesis.stop();
    await gateway.stop();
  };
  return { client, clientOf, events, recorder, bus, stop };
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

  // tag:GetResources "returns all the tagged or previously tagged resources that are located in the specified Region
  // for the account" (https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html),
  // from the Tagging API's own index, not by asking each service. The local one keeps its index from the Kinesis
  // calls the gateway serves; its oracle here is kinesis-local's own ListTagsForStream, after every kind of change.
  it('answers tag:GetResources from the tags every served Kinesis call left, as ListTagsForStream reads them', async () => {
    // Prepare
    const { clientOf, stop } = await standaloneCloud();
    const here = clientOf('444455556666', 'eu-west-1');
    const elsewhere = clientOf('777788889999', 'eu-west-1');
    const otherRegion = clientOf('444455556666', 'us-east-1');
    try {
      await here.kinesis.send(
        new CreateStreamCommand({ StreamName: 'created-tagged', ShardCount: 1, Tags: { team: 'a' } })
      );
      await here.kinesis.send(new CreateStreamCommand({ StreamName: 'never-tagged', ShardCount: 1 }));
      await here.kinesis.send(new CreateStreamCommand({ StreamName: 'untagged-later', ShardCount: 1 }));
      await here.kinesis.send(new CreateStreamCommand({ StreamName: 'deleted', ShardCount: 1, Tags: { gone: 'yes' } }));
      await elsewhere.kinesis.send(new CreateStreamCommand({ StreamName: 'created-tagged', ShardCount: 1 }));
      await otherRegion.kinesis.send(new CreateStreamCommand({ StreamName: 'other-region', ShardCount: 1 }));
      await waitUntilActive(here.kinesis, ['created-tagged', 'never-tagged', 'untagged-later', 'deleted']);
      await waitUntilActive(elsewhere.kinesis, ['created-tagged']);
      await waitUntilActive(otherRegion.kinesis, ['other-region']);
      const arnOf = async (kinesis: KinesisClient, name: string) =>
        (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary
          ?.StreamARN ?? '';
      const untaggedLater = await arnOf(here.kinesis, 'untagged-later');

      // Act
      await here.kinesis.send(new AddTagsToStreamCommand({ StreamName: 'created-tagged', Tags: { env: 'prod' } }));
      await here.kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: 'created-tagged', TagKeys: ['team'] }));
      await here.kinesis.send(new TagResourceCommand({ ResourceARN: untaggedLater, Tags: { x: '1', y: '2' } }));
      await here.kinesis.send(new UntagResourceCommand({ ResourceARN: untaggedLater, TagKeys: ['x', 'y'] }));
      await here.kinesis.send(new DeleteStreamCommand({ StreamName: 'deleted' }));
      await elsewhere.kinesis.send(new AddTagsToStreamCommand({ StreamName: 'created-tagged', Tags: { owner: 'b' } }));
      await otherRegion.kinesis.send(
        new TagResourceCommand({ ResourceARN: await arnOf(otherRegion.kinesis, 'other-region'), Tags: { r: 'us' } })
      );
      // Refused by Kinesis: no change.
      await expect(
        here.kinesis.send(new AddTagsToStreamCommand({ StreamName: 'missing', Tags: { no: 'no' } }))
      ).rejects.toThrow();
      await expect(
        here.kinesis.send(
          new TagResourceCommand({ ResourceARN: `${untaggedLater}/consumer/app:1700000000`, Tags: { c: '1' } })
        )
      ).rejects.toThrow();
      const answers = await Promise.all(
        [here, elsewhere, otherRegion].map(async ({ tagging }) =>
          (
            await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['kinesis:stream'] }))
          ).ResourceTagMappingList?.map(({ ResourceARN, Tags }) => ({ ResourceARN, Tags }))
        )
      );
      const oracle = await Promise.all(
        [here, elsewhere, otherRegion].map(async ({ kinesis }) => {
          const { StreamNames = [] } = await kinesis.send(new ListStreamsCommand({}));
          const tagged = [];
          for (const name of StreamNames) {
            const { StreamDescriptionSummary } = await kinesis.send(
              new DescribeStreamSummaryCommand({ StreamName: name })
            );
            if (StreamDescriptionSummary?.StreamStatus === 'DELETING') continue;
            const { Tags = [] } = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
            if (Tags.length > 0) tagged.push({ ResourceARN: StreamDescriptionSummary?.StreamARN, Tags });
          }
          return tagged;
        })
      );

      // Assess
      expect(answers).toEqual(oracle);
      expect(answers.map((mappings) => mappings?.length)).toEqual([1, 1, 1]);
      expect(answers[0]).toEqual([
        {
          ResourceARN: 'arn:aws:kinesis:eu-west-1:444455556666:stream/created-tagged',
          Tags: [{ Key: 'env', Value: 'prod' }],
        },
      ]);
    } finally {
      await stop();
    }
  });
});

/** Waits until every named stream is ACTIVE (kinesis-local takes createDurationMs). */
const waitUntilActive = async (kinesis: KinesisClient, names: string[]): Promise<void> => {
  for (const name of names) {
    for (;;) {
      const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
};
