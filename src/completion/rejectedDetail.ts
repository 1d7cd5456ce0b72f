import { Compliance } from '../domain/compliance';
import type { InvalidEventError } from '../domain/errors';
import { isRecord } from '../domain/isRecord';
import { Outcome } from '../domain/outcome';
import { completionBase } from './completionBase';
import { type CompletionDetail, timestampOf } from './completionDetail';

const KEPT_DETAIL_FIELDS = [
  'eventVersion',
  'eventID',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'recipientAccountId',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'eventType',
  'requestID',
] as const;
const MAX_STRING = 1024;
const MAX_JSON = 16_384;

const capStrings = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string')
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length} chars)` : value;
  if (depth > 6) return '…(nested too deep)';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => capStrings(item, depth + 1));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 50)
        .map(([k, v]) => [k.slice(0, 128), capStrings(v, depth + 1)])
    );
  }
  return value;
};

/**
 * The received event without what identifies people (userIdentity, sourceIPAddress, userAgent,
 * tlsDetails...), strings and size capped, so it can travel in a Rejected event.
 */
export const redactEvent = (event: unknown): unknown => {
  if (!isRecord(event)) return capStrings(event);
  const { detail, ...envelope } = event;
  const kept = isRecord(detail)
    ? Object.fromEntries(KEPT_DETAIL_FIELDS.filter((key) => key in detail).map((key) => [key, detail[key]]))
    : detail;
  const redacted = capStrings({ ...envelope, detail: kept });
  const json = JSON.stringify(redacted) ?? 'undefined';
  return json.length > MAX_JSON ? { truncated: true, preview: json.slice(0, MAX_JSON) } : redacted;
};

const stringAt = (value: unknown, ...path: string[]): string | null => {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return typeof current === 'string' ? current.slice(0, 256) : null;
};

/** Completion detail for an event that is not a usable successful trigger call. */
export const rejectedDetail = (event: unknown, error: InvalidEventError): CompletionDetail => {
  const { version, ...base } = completionBase({
    eventId: stringAt(event, 'detail', 'eventID'),
    streamArn: null,
    // A call may name its stream only by ARN (the name is what follows `:stream/`).
    streamName:
      stringAt(event, 'detail', 'requestParameters', 'streamName') ??
      stringAt(event, 'detail', 'requestParameters', 'streamARN')?.split(':stream/')[1] ??
      null,
    account: stringAt(event, 'detail', 'recipientAccountId') ?? stringAt(event, 'account'),
    region: stringAt(event, 'detail', 'awsRegion'),
    keyId: null,
    // The schema's date-time, or null: a malformed eventTime may be why the event is rejected.
    streamCreatedAt: timestampOf(stringAt(event, 'detail', 'eventTime')),
    appliedAt: null,
  });
  return {
    version,
    outcome: Outcome.Rejected,
    compliance: Compliance.NotChecked,
    reason: error.message.slice(0, 2000),
    ...base,
    error: { name: error.name, message: error.message.slice(0, 1000) },
    issues: error.issues
      .slice(0, 20)
      .map((issue) => ({ path: issue.path.slice(0, 256), message: issue.message.slice(0, 512) })),
    rejectedEvent: redactEvent(event),
  };
};
