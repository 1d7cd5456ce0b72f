import type { GatewayInterceptor, LocalRequest, LocalResponse } from './gateway';
import { isRecord } from './isRecord';
import { KINESIS_TARGET_PREFIX } from './kinesisRecorder';
import { regionPartition } from './regionPartition';
import { streamOfRequest } from './streamNameOf';

/** One stream and its tags, as tag:GetResources lists it. */
export interface StreamTagMapping {
  ResourceARN: string;
  Tags: { Key: string; Value: string }[];
}

/** The Kinesis operations that change a stream's tags (every other call leaves the index alone). */
const TAGGING_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateStream',
  'DeleteStream',
  'AddTagsToStream',
  'TagResource',
  'RemoveTagsFromStream',
  'UntagResource',
]);

const stringMap = (value: unknown): Record<string, string> =>
  isRecord(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      )
    : {};

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * The tags of every Kinesis stream, kept from the Kinesis calls the gateway serves (CreateStream `Tags`,
 * AddTagsToStream, RemoveTagsFromStream, TagResource and UntagResource on a stream ARN, DeleteStream), as AWS's
 * Resource Groups Tagging API keeps its own index of the tags services report: a local `tag:GetResources` answers
 * from it without one Kinesis call per stream. Only calls the service answered 200 change it; a consumer ARN changes
 * nothing. Kinesis calls that do not reach the gateway are not seen.
 */
export class KinesisTagIndex {
  /** `<account>/<region>` → stream name → tags. */
  readonly #places = new Map<string, Map<string, Map<string, string>>>();

  /** A gateway interceptor that keeps the index from every Kinesis call answered 200. */
  public interceptor(): GatewayInterceptor {
    return async (req, next) => {
      const res = await next();
      if (res.status === 200 && req.target.startsWith(`${KINESIS_TARGET_PREFIX}.`)) this.observe(req, res);
      return res;
    };
  }

  /** Applies one served Kinesis call (its response has status 200) to the index. */
  public observe(req: Pick<LocalRequest, 'operation' | 'json' | 'account' | 'region'>, res: LocalResponse): void {
    if (res.status !== 200 || !TAGGING_OPERATIONS.has(req.operation) || !isRecord(req.json)) return;
    const body = req.json;
    const named = streamOfRequest(req);
    // A consumer ARN (TagResource on a consumer) changes no stream's tags.
    if (named === undefined || named.consumer) return;
    const key = `${named.account}/${named.region}`;
    const place = this.#places.get(key) ?? new Map<string, Map<string, string>>();
    this.#places.set(key, place);
    if (req.operation === 'DeleteStream') {
      place.delete(named.name);
      return;
    }
    const tags =
      req.operation === 'CreateStream'
        ? new Map<string, string>()
        : (place.get(named.name) ?? new Map<string, string>());
    for (const [tagKey, value] of Object.entries(stringMap(body.Tags))) tags.set(tagKey, value);
    for (const tagKey of stringList(body.TagKeys)) tags.delete(tagKey);
    place.set(named.name, tags);
  }

  /** The tagged streams of an account and region (a stream without tags is not listed, as in GetResources). */
  public tagged(account: string, region: string): StreamTagMapping[] {
    const place = this.#places.get(`${account}/${region}`) ?? new Map<string, Map<string, string>>();
    return [...place]
      .filter(([, tags]) => tags.size > 0)
      .map(([name, tags]) => ({
        ResourceARN: `arn:${regionPartition(region)}:kinesis:${region}:${account}:stream/${name}`,
        Tags: [...tags].map(([Key, Value]) => ({ Key, Value })),
      }));
  }
}
