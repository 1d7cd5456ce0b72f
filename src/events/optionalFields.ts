import { isRecord } from '../domain/isRecord';

/**
 * Fields of a CloudTrail record that a record may lack (CloudTrail record contents, "Optional: True":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
 * `recipientAccountId` (since eventVersion 1.02), `userAgent`, and the `userIdentity` fields present for some
 * identity types only (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * The rule's input transformer delivers each in an array, `[]` when the record lacks it (serverless.yml).
 */
const OPTIONAL_DETAIL_PATHS: readonly (readonly string[])[] = [
  ['recipientAccountId'],
  ['userAgent'],
  ['userIdentity', 'invokedBy'],
  ['userIdentity', 'arn'],
  ['userIdentity', 'sessionContext', 'sessionIssuer', 'arn'],
];

/** `[]`, `null` and `""` say the field is absent; `[value]` is the value; anything else is left to the schema. */
const unwrap = (value: unknown): { present: false } | { present: true; value: unknown } => {
  if (value === null || value === '') return { present: false };
  if (!Array.isArray(value)) return { present: true, value };
  if (value.length === 0) return { present: false };
  return value.length === 1 ? unwrap(value[0]) : { present: true, value };
};

/** A copy of `record` with the field at `path` unwrapped (copies only the objects along the path). */
const unwrapAt = (record: Record<string, unknown>, path: readonly string[]): Record<string, unknown> => {
  const [key, ...rest] = path;
  if (key === undefined || !Object.hasOwn(record, key)) return record;
  const inner = record[key];
  if (rest.length > 0) return isRecord(inner) ? { ...record, [key]: unwrapAt(inner, rest) } : record;
  const { [key]: _dropped, ...others } = record;
  const unwrapped = unwrap(inner);
  return unwrapped.present ? { ...others, [key]: unwrapped.value } : others;
};

/**
 * The event as the parser reads it: every optional field of its CloudTrail record that is absent, `null`, empty or
 * `[]` removed, and one delivered as `[value]` (the rule's input transformer) replaced by its value. Any other
 * value, and anything that is not an event, is returned as it is for the schema to judge.
 */
export const withOptionalFieldsUnwrapped = (event: unknown): unknown => {
  if (!isRecord(event) || !isRecord(event.detail)) return event;
  const detail = OPTIONAL_DETAIL_PATHS.reduce(unwrapAt, event.detail);
  return { ...event, detail };
};
