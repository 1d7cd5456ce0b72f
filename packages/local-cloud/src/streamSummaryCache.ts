import { randomUUID } from 'node:crypto';
import type { LocalResponse, LocalService } from './gateway';
import { isRecord } from './isRecord';
import { streamOfRequest } from './streamNameOf';

/**
 * Kinesis operations that change no stream (reads and record traffic): every other operation may change the
 * summary of the stream it names (or, naming none, of any stream of its account and region).
 */
const UNCHANGING_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeAccountSettings',
  'DescribeLimits',
  'DescribeStream',
  'DescribeStreamConsumer',
  'DescribeStreamSummary',
  'GetRecords',
  'GetResourcePolicy',
  'GetShardIterator',
  'ListShards',
  'ListStreamConsumers',
  'ListStreams',
  'ListTagsForResource',
  'ListTagsForStream',
  'PutRecord',
  'PutRecords',
  'SubscribeToShard',
]);

const statusOf = (res: LocalResponse): unknown => {
  try {
    const text = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.body;
    const parsed: unknown = typeof text === 'string' ? JSON.parse(text) : text;
    return isRecord(parsed) && isRecord(parsed.StreamDescriptionSummary)
      ? parsed.StreamDescriptionSummary.StreamStatus
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Answers `DescribeStreamSummary` of an `ACTIVE` stream from the last answer while no call could have changed it,
 * and forwards everything else to `service` (kinesis-local). An `ACTIVE` stream leaves that status only through a
 * call (kinesis-local moves CREATING / UPDATING / DELETING streams on by itself, so those answers are never kept):
 * every call that is not a read or a record write drops the answer of the stream it names, or, naming none, of every
 * stream of its account and region. An answer that raced such a call is not kept. The answer a client gets is the
 * one kinesis-local would give (a new request id), without kinesis-local's milliseconds of work for each describe:
 * a sweep of a thousand streams measures the sweep, not the emulator. Only calls served through this service are
 * seen.
 */
export const cachedStreamSummaries = (service: LocalService): LocalService => {
  const answers = new Map<string, LocalResponse>();
  /** Changes seen, by stream and by account-region: an answer is kept only if neither moved while it was read. */
  const changes = new Map<string, number>();
  const placeOf = ({ account, region }: { account: string; region: string }): string => `${account}/${region}`;
  const keyOf = (stream: { account: string; region: string; name: string }): string =>
    `${placeOf(stream)}/${stream.name}`;
  const changed = (key: string): void => {
    changes.set(key, (changes.get(key) ?? 0) + 1);
  };
  const version = (stream: { account: string; region: string; name: string }): string =>
    `${changes.get(keyOf(stream)) ?? 0}:${changes.get(placeOf(stream)) ?? 0}`;

  return async (req) => {
    const stream = streamOfRequest(req);
    if (!UNCHANGING_OPERATIONS.has(req.operation)) {
      const forget = (): void => {
        if (stream !== undefined) {
          answers.delete(keyOf(stream));
          changed(keyOf(stream));
          return;
        }
        const prefix = `${placeOf(req)}/`;
        for (const key of answers.keys()) if (key.startsWith(prefix)) answers.delete(key);
        changed(placeOf(req));
      };
      // Before (nothing kept is served meanwhile) and after (an answer read meanwhile is not kept).
      forget();
      try {
        return await service(req);
      } finally {
        forget();
      }
    }
    if (req.operation !== 'DescribeStreamSummary' || stream === undefined) return service(req);
    const key = keyOf(stream);
    const known = answers.get(key);
    if (known !== undefined) {
      return { ...known, headers: { ...known.headers, 'x-amzn-requestid': randomUUID() } };
    }
    const before = version(stream);
    const res = await service(req);
    if (res.status === 200 && statusOf(res) === 'ACTIVE' && version(stream) === before) answers.set(key, res);
    return res;
  };
};
