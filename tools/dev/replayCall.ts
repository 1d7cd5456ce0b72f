import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  type CreateStreamCommandInput,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kinesis';
import type { BusEvent, CloudTrailEnvelope } from '@kinesis-auto-encrypt/local-cloud';
import { streamNameOf } from '@kinesis-auto-encrypt/local-cloud';
import { isRecord } from '../../src/domain/isRecord';
import { DEFAULT_KEY_ALIAS } from './accountKeys';
import { waitForActive } from './demo';
import type { LocalCloud } from './localCloud';

/** The calls a replay performs on the local Kinesis for a saved event, and the stream they are about. */
export interface ReplayCall {
  streamName: string;
  eventName: string;
  /** Brings the stream to where it was before the recorded call (their CloudTrail events are withheld). */
  setup(client: KinesisClient, cloud: LocalCloud): Promise<void>;
  /** The recorded call itself. */
  perform(client: KinesisClient): Promise<void>;
}

const createInput = (name: string, parameters: Record<string, unknown>): CreateStreamCommandInput => {
  const mode = isRecord(parameters.streamModeDetails) ? parameters.streamModeDetails.streamMode : undefined;
  if (mode === 'ON_DEMAND') return { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } };
  const shards = Number(parameters.shardCount ?? 1);
  return { StreamName: name, ShardCount: Number.isInteger(shards) && shards > 0 ? shards : 1 };
};

/** Withholds the CloudTrail event of the next `eventName` call on `name` (a replay's own setup). */
const withhold = (cloud: LocalCloud, eventName: string, name: string): Promise<CloudTrailEnvelope> =>
  cloud.holdCloudTrail(
    (envelope) => envelope.detail.eventName === eventName && streamNameOf(envelope.detail.requestParameters) === name
  );

/** The local stream's ARN (the tagging API names a stream by ARN only). */
const localStreamArn = async (client: KinesisClient, name: string): Promise<string> => {
  const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  const arn = StreamDescriptionSummary?.StreamARN;
  if (arn === undefined) throw new Error(`the local stream ${name} has no ARN`);
  return arn;
};

/**
 * What replaying `event` takes: a CreateStream is performed as recorded; a call on an existing stream
 * (Stop/StartStreamEncryption, AddTagsToStream/RemoveTagsFromStream, TagResource/UntagResource) first creates the
 * stream — encrypted with the default key when the call is a StopStreamEncryption, with the removed tags when it is
 * a tag removal — then performs the recorded call (the tagging API on the local stream's ARN).
 * @returns undefined when the event names no stream (a consumer's ARN names none)
 */
export const replayCallOf = (event: BusEvent): ReplayCall | undefined => {
  const parameters = isRecord(event.detail.requestParameters) ? event.detail.requestParameters : {};
  const name = streamNameOf(event.detail.requestParameters);
  const eventName = String(event.detail.eventName);
  if (name === undefined || name === '') return undefined;
  const keyId = typeof parameters.keyId === 'string' ? parameters.keyId : DEFAULT_KEY_ALIAS;
  const tags = isRecord(parameters.tags) ? (parameters.tags as Record<string, string>) : {};
  const tagKeys = Array.isArray(parameters.tagKeys) ? parameters.tagKeys.map(String) : [];
  const create = async (client: KinesisClient, cloud: LocalCloud, input: CreateStreamCommandInput) => {
    const held = withhold(cloud, 'CreateStream', name);
    await client.send(new CreateStreamCommand(input));
    await held;
    await waitForActive(client, name);
  };
  const base = createInput(name, parameters);
  const withRemovedTags = { ...base, Tags: Object.fromEntries(tagKeys.map((key) => [key, 'true'])) };
  const encrypt = () => new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId });
  type Steps = Pick<ReplayCall, 'setup' | 'perform'>;
  const existing = (input: CreateStreamCommandInput, perform: ReplayCall['perform']): Steps => ({
    setup: (client, cloud) => create(client, cloud, input),
    perform,
  });
  const steps: Record<string, () => Steps> = {
    CreateStream: () => ({
      setup: async () => {},
      perform: async (client) => void (await client.send(new CreateStreamCommand(base))),
    }),
    StopStreamEncryption: () => ({
      setup: async (client, cloud) => {
        await create(client, cloud, base);
        const held = withhold(cloud, 'StartStreamEncryption', name);
        await client.send(encrypt());
        await held;
        await waitForActive(client, name);
      },
      perform: async (client) =>
        void (await client.send(
          new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId })
        )),
    }),
    StartStreamEncryption: () => existing(base, async (client) => void (await client.send(encrypt()))),
    AddTagsToStream: () =>
      existing(
        base,
        async (client) => void (await client.send(new AddTagsToStreamCommand({ StreamName: name, Tags: tags })))
      ),
    RemoveTagsFromStream: () =>
      existing(
        withRemovedTags,
        async (client) =>
          void (await client.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: tagKeys })))
      ),
    TagResource: () =>
      existing(
        base,
        async (client) =>
          void (await client.send(
            new TagResourceCommand({ ResourceARN: await localStreamArn(client, name), Tags: tags })
          ))
      ),
    UntagResource: () =>
      existing(
        withRemovedTags,
        async (client) =>
          void (await client.send(
            new UntagResourceCommand({ ResourceARN: await localStreamArn(client, name), TagKeys: tagKeys })
          ))
      ),
  };
  const chosen = Object.hasOwn(steps, eventName) ? steps[eventName] : undefined;
  return chosen === undefined ? undefined : { streamName: name, eventName, ...chosen() };
};
