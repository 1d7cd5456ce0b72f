import { type KinesisClient, ListStreamsCommand, type ListStreamsCommandOutput } from '@aws-sdk/client-kinesis';
import { serviceFailure } from './serviceFailure';

/** A stream as ListStreams names it; `arn` and `createdAt` when the service returned `StreamSummaries`. */
export interface ListedStream {
  name: string;
  arn?: string;
  status?: string;
  createdAt?: string;
}

/** Streams per ListStreams page (the API's maximum: "If you specify a value greater than 100, at most 100"). */
const PAGE_SIZE = 100;

/** Pages are bounded: 10,000 pages of 100 is a million streams. */
const MAX_PAGES = 10_000;

const pageOf = (output: ListStreamsCommandOutput): ListedStream[] => {
  const summaries = output.StreamSummaries ?? [];
  if (summaries.length > 0) {
    return summaries.flatMap(({ StreamName, StreamARN, StreamStatus, StreamCreationTimestamp }) =>
      StreamName === undefined
        ? []
        : [
            {
              name: StreamName,
              ...(StreamARN !== undefined && { arn: StreamARN }),
              ...(StreamStatus !== undefined && { status: StreamStatus }),
              ...(StreamCreationTimestamp !== undefined && { createdAt: StreamCreationTimestamp.toISOString() }),
            },
          ]
    );
  }
  return (output.StreamNames ?? []).map((name) => ({ name }));
};

/**
 * Every stream of the client's account and region, page by page. Pages follow `NextToken` when the service
 * returns one (ListStreams with `StreamSummaries`), else `ExclusiveStartStreamName` = the last name while
 * `HasMoreStreams` (the older paging, which kinesis-mock implements).
 */
export async function* listStreams(client: KinesisClient): AsyncGenerator<ListedStream[]> {
  let nextToken: string | undefined;
  let startName: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output: ListStreamsCommandOutput;
    try {
      output = await client.send(
        new ListStreamsCommand(
          nextToken !== undefined
            ? { NextToken: nextToken }
            : { Limit: PAGE_SIZE, ...(startName !== undefined && { ExclusiveStartStreamName: startName }) }
        )
      );
    } catch (error) {
      throw serviceFailure(error, 'kinesis:ListStreams', 'arn:aws:kinesis:*:*:stream/*');
    }
    const streams = pageOf(output);
    if (streams.length > 0) yield streams;
    nextToken = output.NextToken ?? undefined;
    startName = streams.at(-1)?.name;
    if (nextToken === undefined && (output.HasMoreStreams !== true || startName === undefined)) return;
  }
}
