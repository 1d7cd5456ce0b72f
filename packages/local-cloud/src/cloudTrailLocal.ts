import type { CloudTrailRecord } from './cloudTrailEvent';
import { awsJsonError, type LocalResponse, type LocalService } from './gateway';
import { isRecord } from './isRecord';
import { streamNameOf } from './streamNameOf';

/** Gateway prefix of CloudTrail's JSON 1.1 protocol (`X-Amz-Target: CloudTrail_20131101.LookupEvents`). */
export const CLOUDTRAIL_TARGET_PREFIX = 'CloudTrail_20131101';

/**
 * The lookup attributes of management events (API reference, LookupAttribute: "AttributeKey … Valid Values: EventId
 * | EventName | ReadOnly | Username | ResourceType | ResourceName | EventSource | AccessKeyId",
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html).
 */
const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

/** Event history keeps 90 days; "The default number of results returned is 50, with a maximum of 50 possible". */
const RETENTION_MS = 90 * 86_400_000;
const MAX_RESULTS = 50;

/** One event of LookupEvents' `Events` (API reference, Event: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html). */
interface LookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId: string;
  /** Epoch seconds: the JSON protocol's timestamp. */
  EventTime: number;
  EventSource: string;
  Username: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  /** The whole record as a JSON string, as AWS returns it. */
  CloudTrailEvent: string;
}

/** `AWS::Kinesis::Stream` for a record that names a stream; the resource types of other services are not known here. */
const resourcesOf = (record: CloudTrailRecord): LookupEvent['Resources'] => {
  const service = record.eventSource.replace(/\.amazonaws\.com$/, '');
  const stream = service === 'kinesis' ? streamNameOf(record.requestParameters) : undefined;
  return stream === undefined ? [] : [{ ResourceType: 'AWS::Kinesis::Stream', ResourceName: stream }];
};

const usernameOf = (record: CloudTrailRecord): string => {
  const identity = record.userIdentity;
  return identity.type === 'IAMUser' ? identity.userName : identity.sessionContext.sessionIssuer.userName;
};

const lookupEventOf = (record: CloudTrailRecord): LookupEvent => ({
  EventId: record.eventID,
  EventName: record.eventName,
  ReadOnly: String(record.readOnly),
  AccessKeyId: record.userIdentity.accessKeyId,
  EventTime: Date.parse(record.eventTime) / 1000,
  EventSource: record.eventSource,
  Username: usernameOf(record),
  Resources: resourcesOf(record),
  CloudTrailEvent: JSON.stringify(record),
});

const attributeValuesOf = (event: LookupEvent, key: AttributeKey): string[] => {
  switch (key) {
    case 'ResourceType':
      return event.Resources.map((resource) => resource.ResourceType);
    case 'ResourceName':
      return event.Resources.map((resource) => resource.ResourceName);
    default:
      return [event[key]];
  }
};

/** A request timestamp (epoch seconds, the JSON protocol's form) in milliseconds; undefined when absent. */
const timeOf = (value: unknown): number | undefined => (typeof value === 'number' ? value * 1000 : undefined);

const invalid = (type: string, message: string): LocalResponse => awsJsonError(type, message);

/** What a LookupEvents request asks, or the error AWS answers to it. */
const parseLookup = (
  json: unknown,
  now: number
):
  | { filter?: { key: AttributeKey; value: string }; start: number; end: number; max: number; offset: number }
  | LocalResponse => {
  const body = isRecord(json) ? json : {};
  const attributes = Array.isArray(body.LookupAttributes) ? body.LookupAttributes : [];
  if (attributes.length > 1) {
    return invalid('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  }
  const [attribute] = attributes as unknown[];
  let filter: { key: AttributeKey; value: string } | undefined;
  if (attribute !== undefined) {
    const key = isRecord(attribute) ? attribute.AttributeKey : undefined;
    const value = isRecord(attribute) ? attribute.AttributeValue : undefined;
    if (!(ATTRIBUTE_KEYS as readonly unknown[]).includes(key) || typeof value !== 'string' || value === '') {
      return invalid('InvalidLookupAttributesException', `Invalid lookup attribute ${JSON.stringify(attribute)}.`);
    }
    filter = { key: key as AttributeKey, value };
  }
  const start = timeOf(body.StartTime) ?? now - RETENTION_MS;
  const end = timeOf(body.EndTime) ?? now;
  if (start > end) return invalid('InvalidTimeRangeException', 'Start time must be before end time.');
  const max = body.MaxResults ?? MAX_RESULTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
    return invalid('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`);
  }
  const token = body.NextToken;
  let offset = 0;
  if (token !== undefined) {
    offset = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (Number.isNaN(offset)) return invalid('InvalidNextTokenException', 'The NextToken is not valid.');
  }
  return { ...(filter && { filter }), start, end, max, offset };
};

/**
 * CloudTrail event history of the local cloud: the records {@link record}ed (those the CloudTrail recorder emits),
 * per account and region, answered by `LookupEvents` as AWS does (API reference,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): at most one lookup attribute,
 * `StartTime`/`EndTime` inclusive (default: the last 90 days), newest first, `MaxResults` 1–50 (default 50),
 * `NextToken` paging, each event with its `CloudTrailEvent` as a JSON string. Events are looked up in the account and
 * region of the caller's credentials.
 */
export class LocalCloudTrail {
  readonly #events = new Map<string, LookupEvent[]>();
  readonly #now: () => number;
  readonly #perSecond: number;
  /** When the recent LookupEvents calls of each account and region arrived (real time, for the quota). */
  readonly #calls = new Map<string, number[]>();

  /**
   * `lookupsPerSecond`: LookupEvents calls an account and region may make within any second before the next is
   * refused with `ThrottlingException` ("The rate of lookup requests is limited to two per second, per account, per
   * Region. If this limit is exceeded, a throttling error occurs."); default 2, `Infinity` to turn it off.
   */
  public constructor(options: { now?: () => number; lookupsPerSecond?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#perSecond = options.lookupsPerSecond ?? 2;
  }

  /** Whether this call is over the account-region's LookupEvents rate (a refused call does not count). */
  #throttled(key: string): boolean {
    const now = Date.now();
    const recent = (this.#calls.get(key) ?? []).filter((at) => at > now - 1000);
    const over = recent.length >= this.#perSecond;
    if (!over) recent.push(now);
    this.#calls.set(key, recent);
    return over;
  }

  /** Keeps one record in the event history of its account (`recipientAccountId`) and region (`awsRegion`). */
  public record(record: CloudTrailRecord): void {
    const key = `${record.recipientAccountId}/${record.awsRegion}`;
    const events = this.#events.get(key) ?? [];
    events.push(lookupEventOf(record));
    this.#events.set(key, events);
  }

  /** The CloudTrail service: `LookupEvents`; any other operation is `UnknownOperationException`. */
  public readonly service: LocalService = async (req) => {
    if (req.operation !== 'LookupEvents') {
      return awsJsonError('UnknownOperationException', `The local CloudTrail does not implement ${req.operation}`);
    }
    const lookup = parseLookup(req.json, this.#now());
    if ('status' in lookup) return lookup;
    if (this.#throttled(`${req.account}/${req.region}`)) return invalid('ThrottlingException', 'Rate exceeded');
    const { filter, start, end, max, offset } = lookup;
    const found = (this.#events.get(`${req.account}/${req.region}`) ?? [])
      .filter((event) => event.EventTime * 1000 >= start && event.EventTime * 1000 <= end)
      .filter((event) => filter === undefined || attributeValuesOf(event, filter.key).includes(filter.value))
      .map((event, index) => ({ event, index }))
      // Newest first; events of the same second in the reverse order they were recorded.
      .sort((a, b) => b.event.EventTime - a.event.EventTime || b.index - a.index)
      .map(({ event }) => event);
    const page = found.slice(offset, offset + max);
    const next = offset + max < found.length ? { NextToken: String(offset + max) } : {};
    return { status: 200, body: { Events: page, ...next } };
  };
}
