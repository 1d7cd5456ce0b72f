import {
  undefined as absent,
  array,
  iso,
  literal,
  looseObject,
  nullable,
  enum as oneOf,
  optional,
  record,
  refine,
  regex,
  string,
  unknown,
} from 'zod/mini';
import { partitionOf, UNKNOWN_REGION } from './partitionOf';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** CloudTrail eventNames the rule delivers. */
const TRIGGER_EVENT_NAMES = [
  'CreateStream',
  'StopStreamEncryption',
  'StartStreamEncryption',
  'AddTagsToStream',
  'RemoveTagsFromStream',
  'TagResource',
  'UntagResource',
] as const;

const tagMap = optional(nullable(record(string(), string())));

/**
 * CloudTrail record of a Kinesis call as EventBridge delivers it in `detail`. Accepts every
 * eventVersion 1.0x and unknown extra fields; only what the pipeline uses is typed.
 * (zod/mini: the same checks as zod, a fraction of the bundle and of the cold start.)
 */
const cloudTrailDetailSchema = looseObject({
  eventVersion: string().check(regex(/^1\.\d{2}$/, 'expected a CloudTrail eventVersion 1.0x')),
  eventID: string().check(regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a CloudTrail event id (GUID)')),
  eventTime: iso.datetime({ offset: true }),
  eventSource: literal('kinesis.amazonaws.com'),
  eventName: oneOf(TRIGGER_EVENT_NAMES),
  awsRegion: string().check(refine((region) => partitionOf(region) !== undefined, UNKNOWN_REGION)),
  recipientAccountId: optional(string().check(regex(ACCOUNT_ID, 'expected a 12-digit account id'))),
  errorCode: optional(absent({ error: 'the call failed (errorCode present): nothing changed' })),
  // Every trigger names the stream by StreamName or StreamARN (or both); parseStreamEvent checks which.
  requestParameters: looseObject({
    streamName: optional(nullable(string().check(regex(STREAM_NAME, 'expected 1-128 characters of [a-zA-Z0-9_.-]')))),
    streamARN: optional(nullable(string())),
    // TagResource's and UntagResource's ResourceARN: a stream or a consumer.
    resourceARN: optional(nullable(string())),
    // The Tags of CreateStream, AddTagsToStream and TagResource as CloudTrail records them (a map, keys as the caller
    // wrote them).
    tags: tagMap,
    // StartStreamEncryption's KeyId (another caller's key application, counted in the key budget).
    keyId: optional(nullable(string())),
    // The TagKeys of RemoveTagsFromStream and UntagResource.
    tagKeys: optional(nullable(array(string()))),
  }),
  responseElements: optional(nullable(unknown())),
  // Optional fields absent, null, empty or [] were removed, [value] unwrapped (optionalFields.ts).
  userAgent: optional(nullable(string())),
  userIdentity: optional(
    nullable(
      looseObject({
        invokedBy: optional(nullable(string())),
        arn: optional(nullable(string())),
        sessionContext: optional(
          nullable(
            looseObject({ sessionIssuer: optional(nullable(looseObject({ arn: optional(nullable(string())) }))) })
          )
        ),
      })
    )
  ),
});

/** EventBridge envelope of `AWS API Call via CloudTrail` for a successful trigger call. */
export const streamEventSchema = looseObject({
  version: optional(string()),
  id: optional(string()),
  'detail-type': literal('AWS API Call via CloudTrail'),
  source: literal('aws.kinesis'),
  account: string().check(regex(ACCOUNT_ID, 'expected a 12-digit account id')),
  time: optional(string()),
  region: optional(string()),
  detail: cloudTrailDetailSchema,
});
