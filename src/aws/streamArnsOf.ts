import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ListedStream } from './kinesisStreamLister';
import { serviceFailure } from './serviceFailure';

/** A listed stream with its ARN. */
export type StreamWithArn = ListedStream & { arn: string };

/**
 * Gives every listed stream its ARN. ListStreams' `StreamSummaries` carry it; a service that returns names only
 * costs one DescribeStreamSummary (by name) for the account's ARN prefix `arn:<partition>:kinesis:<region>:<account>:stream/`.
 * A stream deleted in between is dropped.
 */
export const streamArnsOf = async (
  client: KinesisClient,
  streams: readonly ListedStream[]
): Promise<StreamWithArn[]> => {
  const named = streams.filter((stream) => stream.arn === undefined);
  let prefix: string | undefined;
  for (const stream of named) {
    try {
      const { StreamDescriptionSummary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: stream.name })
      );
      const arn = StreamDescriptionSummary?.StreamARN;
      if (arn !== undefined) {
        prefix = arn.slice(0, arn.length - stream.name.length);
        break;
      }
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') {
        throw serviceFailure(error, 'kinesis:DescribeStreamSummary', stream.name);
      }
    }
  }
  return streams.flatMap((stream) => {
    if (stream.arn !== undefined) return [stream as StreamWithArn];
    return prefix === undefined ? [] : [{ ...stream, arn: `${prefix}${stream.name}` }];
  });
};
