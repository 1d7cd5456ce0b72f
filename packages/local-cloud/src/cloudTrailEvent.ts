import { randomUUID } from 'node:crypto';
import { cloudTrailTime } from './cloudTrailTime';
import { type UserIdentity, userIdentityFor } from './localIdentities';

/** Kinesis operations CloudTrail records as management (write) events. */
export const KINESIS_MANAGEMENT_OPERATIONS = [
  'CreateStream',
  'DeleteStream',
  'StartStreamEncryption',
  'StopStreamEncryption',
  'AddTagsToStream',
  'RemoveTagsFromStream',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
  'UpdateShardCount',
  'MergeShards',
  'SplitShard',
  'RegisterStreamConsumer',
  'DeregisterStreamConsumer',
  'UpdateStreamMode',
  'EnableEnhancedMonitoring',
  'DisableEnhancedMonitoring',
  'TagResource',
  'UntagResource',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
] as const;

/** `detail-type` EventBridge gives CloudTrail management events. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** A CloudTrail record (eventVersion 1.09) of an AWS API call. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
  tlsDetails: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

/** A CloudTrail record as EventBridge delivers it. */
export interface CloudTrailEnvelope {
  version: '0';
  id: string;
  'detail-type': typeof CLOUDTRAIL_DETAIL_TYPE;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: CloudTrailRecord;
}

/** What the recorder knows about one API call. */
export interface CloudTrailCall {
  /** e.g. `CreateStream`. */
  operation: string;
  account: string;
  region: string;
  accessKeyId: string;
  /** Request JSON as sent (PascalCase keys). */
  request: unknown;
  /** Service host prefix, e.g. `kinesis` (default). */
  service?: string;
  userAgent?: string;
  /** `x-amzn-RequestId` of the response. */
  requestId?: string;
  /** Error type of a failed call (namespaces like `aws#X` or `X:http…` are stripped). */
  errorCode?: string;
  errorMessage?: string;
  /** Response elements of a successful call; `null` (the default) like most Kinesis calls. */
  responseElements?: Record<string, unknown> | null;
  eventTime?: Date;
  sourceIPAddress?: string;
}

/** Short error code from an AWS JSON `__type` (`com.amazon#ResourceInUseException` → `ResourceInUseException`). */
export const shortErrorCode = (type: string): string => {
  const afterHash = type.includes('#') ? type.slice(type.lastIndexOf('#') + 1) : type;
  return afterHash.split(':')[0] ?? afterHash;
};

const lowerFirst = (key: string): string => (key === '' ? key : key.charAt(0).toLowerCase() + key.slice(1));

/**
 * CloudTrail's requestParameters style: lower-camel keys (`StreamName` → `streamName`,
 * `StreamARN` → `streamARN`), nested objects too, except user maps such as `Tags`.
 */
export const lowerCamelKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(lowerCamelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      lowerFirst(key),
      key === 'Tags' ? inner : lowerCamelKeys(inner),
    ])
  );
};

/** Builds the CloudTrail record of one call. */
export const buildCloudTrailRecord = (call: CloudTrailCall): CloudTrailRecord => {
  const service = call.service ?? 'kinesis';
  const request = lowerCamelKeys(call.request);
  const requestParameters =
    request !== null && typeof request === 'object' && !Array.isArray(request)
      ? (request as Record<string, unknown>)
      : null;
  const record: CloudTrailRecord = {
    eventVersion: '1.09',
    userIdentity: userIdentityFor(call.account, call.accessKeyId, call.eventTime, call.region),
    eventTime: cloudTrailTime(call.eventTime ?? new Date()),
    eventSource: `${service}.amazonaws.com`,
    eventName: call.operation,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIPAddress ?? '127.0.0.1',
    userAgent: call.userAgent ?? 'unknown',
    ...(call.errorCode === undefined
      ? {}
      : { errorCode: shortErrorCode(call.errorCode), errorMessage: call.errorMessage ?? '' }),
    requestParameters,
    responseElements: call.errorCode === undefined ? (call.responseElements ?? null) : null,
    requestID: call.requestId ?? randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${service}.${call.region}.amazonaws.com`,
    },
  };
  return record;
};

/** Wraps a CloudTrail record in the EventBridge envelope (`source` `aws.<service>`). */
export const toEventBridgeEnvelope = (record: CloudTrailRecord): CloudTrailEnvelope => ({
  version: '0',
  id: randomUUID(),
  'detail-type': CLOUDTRAIL_DETAIL_TYPE,
  source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, '')}`,
  account: record.recipientAccountId,
  time: record.eventTime,
  region: record.awsRegion,
  resources: [],
  detail: record,
});
