import type { ListedStream } from './kinesisStreamLister';

/** A listed stream with its ARN. */
export type StreamWithArn = ListedStream & { arn: string };

/**
 * Gives every listed stream its ARN. ListStreams' `StreamSummaries` carry it; for a service that returns names only
 * (kinesis-mock) it is built from where the streams were listed, `arn:<partition>:kinesis:<region>:<account>:stream/<name>`
 * (the stream ARN format, Kinesis API reference), without a call.
 */
export const streamArnsOf = (
  streams: readonly ListedStream[],
  where: { partition: string; region: string; account: string }
): StreamWithArn[] =>
  streams.map((stream) =>
    stream.arn !== undefined
      ? (stream as StreamWithArn)
      : { ...stream, arn: `arn:${where.partition}:kinesis:${where.region}:${where.account}:stream/${stream.name}` }
  );
