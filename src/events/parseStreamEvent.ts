import { InvalidEventError } from '../domain/errors';
import { POLICY_TAG_PREFIX } from '../domain/streamPolicy';
import { type StreamRequest, streamArn, Trigger } from '../domain/streamRequest';
import { iacEngineOf } from './iacEngineOf';
import { withOptionalFieldsUnwrapped } from './optionalFields';
import { partitionOf, UNKNOWN_REGION } from './partitionOf';
import { streamEventSchema } from './streamEventSchema';

const STREAM_ARN = /^arn:([a-z-]+):kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;
/** A consumer of a stream (RegisterStreamConsumer's ConsumerARN): TagResource also tags consumers. */
const CONSUMER_ARN = /^arn:[a-z-]+:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128}\/consumer\/[^/]+$/;
const STREAM_ARN_PATH = 'detail.requestParameters.streamARN';
const RESOURCE_ARN_PATH = 'detail.requestParameters.resourceARN';

const TRIGGERS = {
  CreateStream: Trigger.CreateStream,
  StopStreamEncryption: Trigger.StopStreamEncryption,
  StartStreamEncryption: Trigger.StartStreamEncryption,
  AddTagsToStream: Trigger.TagsChanged,
  RemoveTagsFromStream: Trigger.TagsChanged,
  TagResource: Trigger.TagsChanged,
  UntagResource: Trigger.TagsChanged,
} as const;

/** The tag keys a tag call sets or removes; undefined for any other call. */
const changedTagKeys = (
  eventName: keyof typeof TRIGGERS,
  parameters: { tags?: Record<string, string> | null; tagKeys?: string[] | null }
): string[] | undefined => {
  switch (eventName) {
    case 'AddTagsToStream':
    case 'TagResource':
      return Object.keys(parameters.tags ?? {});
    case 'RemoveTagsFromStream':
    case 'UntagResource':
      return parameters.tagKeys ?? [];
    default:
      return undefined;
  }
};

/** A trigger to reconcile, or an event that needs nothing (no AWS call, no completion event). */
export type ParsedStreamEvent =
  | { kind: 'Trigger'; request: StreamRequest }
  | { kind: 'Ignored'; eventId: string; eventName: string; reason: string };

/** Options of {@link parseStreamEvent}. */
export interface ParseOptions {
  iacUserAgents?: readonly string[];
  /** IAM role ARNs of the pipeline (function, state machine): their sessions' calls are its own. */
  ownRoleArns?: readonly string[];
  /** Organisation: the member role's name; its sessions in any account are the pipeline's own calls. */
  ownRoleName?: string;
  /**
   * Organisation: the stream's account and region are the envelope's `account` and `region`, which EventBridge
   * sets (a member cannot forge them); the record's recipientAccountId and awsRegion must agree.
   */
  homeFromEnvelope?: boolean;
}

type Issue = { path: string; message: string };

/** A session of role `name` (no path) in any account of any partition. */
const isRoleSession = (issuer: string, name: string | undefined): boolean =>
  name !== undefined && /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+)$/.exec(issuer)?.[1] === name;

/** The envelope's account and region, when the CloudTrail record agrees with them; else the issues. */
const envelopeHome = (envelope: {
  account: string;
  region?: string;
  detail: { recipientAccountId?: string; awsRegion: string };
}): { account: string; region: string } | Issue[] => {
  const issues: Issue[] = [];
  const { recipientAccountId, awsRegion } = envelope.detail;
  if (recipientAccountId !== undefined && recipientAccountId !== envelope.account)
    issues.push({
      path: 'detail.recipientAccountId',
      message: `account ${recipientAccountId} is not ${envelope.account} that sent the event`,
    });
  if (envelope.region !== awsRegion)
    issues.push({
      path: 'detail.awsRegion',
      message: `region ${awsRegion} is not ${envelope.region ?? '(none)'} where the event was sent from`,
    });
  return issues.length > 0 ? issues : { account: envelope.account, region: awsRegion };
};

/** The stream an ARN (at `path`) names, when it is in the event's partition, region and account; else the issues. */
const nameFromArn = (
  arn: string,
  path: string,
  home: { partition: string; region: string; account: string }
): string | Issue[] => {
  const match = STREAM_ARN.exec(arn);
  if (match === null) return [{ path, message: 'expected arn:<partition>:kinesis:<region>:<account>:stream/<name>' }];
  const [, partition, region, account, name = ''] = match;
  const issues: Issue[] = [];
  if (partition !== home.partition)
    issues.push({ path, message: `partition ${partition} is not ${home.partition} of the event` });
  if (region !== home.region) issues.push({ path, message: `region ${region} is not ${home.region} of the event` });
  if (account !== home.account)
    issues.push({ path, message: `account ${account} is not ${home.account} of the event` });
  return issues.length > 0 ? issues : name;
};

/**
 * Validates an EventBridge CloudTrail event of a trigger call (CreateStream, Stop/StartStreamEncryption,
 * AddTagsToStream/RemoveTagsFromStream, TagResource/UntagResource) and extracts the stream, named by `streamName`,
 * `streamARN` or (tagging API) `resourceARN`. The pipeline's own calls, tag calls on a consumer and tag calls
 * without a `kinesis-auto-encrypt:` key are `Ignored`. Optional CloudTrail fields may be absent,
 * `null`, empty, or in the array the rule's input transformer puts them in (optionalFields.ts).
 * @throws {InvalidEventError} naming every bad field
 */
export const parseStreamEvent = (event: unknown, options: ParseOptions = {}): ParsedStreamEvent => {
  const result = streamEventSchema.safeParse(withOptionalFieldsUnwrapped(event));
  if (!result.success) {
    throw new InvalidEventError(
      result.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(event)',
        message: issue.message,
      })),
      { cause: result.error }
    );
  }
  const { detail, account: envelopeAccount } = result.data;
  const { eventName, requestParameters: parameters } = detail;
  const ignored = (reason: string): ParsedStreamEvent => ({
    kind: 'Ignored',
    eventId: detail.eventID,
    eventName,
    reason,
  });

  const issuer = detail.userIdentity?.sessionContext?.sessionIssuer?.arn;
  if (issuer != null && ((options.ownRoleArns ?? []).includes(issuer) || isRoleSession(issuer, options.ownRoleName))) {
    return ignored(`${eventName} made by this pipeline (${issuer}): its own call`);
  }
  const resourceArn = parameters.resourceARN;
  if (resourceArn != null && CONSUMER_ARN.test(resourceArn)) {
    return ignored(
      `${eventName} on the stream consumer ${resourceArn.slice(0, 400)}: a consumer's tags, not the stream's`
    );
  }
  const tagKeys = changedTagKeys(eventName, parameters);
  if (tagKeys !== undefined && !tagKeys.some((key) => key.startsWith(POLICY_TAG_PREFIX))) {
    return ignored(`${eventName} changed no ${POLICY_TAG_PREFIX} tag`);
  }

  const home = options.homeFromEnvelope === true ? envelopeHome(result.data) : undefined;
  if (Array.isArray(home)) throw new InvalidEventError(home);
  const account = home?.account ?? detail.recipientAccountId ?? envelopeAccount;
  const region = detail.awsRegion;
  const partition = partitionOf(region)?.name;
  // Unreachable after the schema's check; kept so an unknown region can never default to `aws`.
  if (partition === undefined) throw new InvalidEventError([{ path: 'detail.awsRegion', message: UNKNOWN_REGION }]);
  const [arnPath, arn] =
    parameters.streamARN != null ? [STREAM_ARN_PATH, parameters.streamARN] : [RESOURCE_ARN_PATH, resourceArn];
  const fromArn = arn == null ? undefined : nameFromArn(arn, arnPath, { partition, region, account });
  if (Array.isArray(fromArn)) throw new InvalidEventError(fromArn);
  const streamName = parameters.streamName ?? fromArn;
  if (streamName === undefined) {
    throw new InvalidEventError([
      { path: 'detail.requestParameters', message: 'expected streamName, streamARN or resourceARN' },
    ]);
  }
  if (fromArn !== undefined && fromArn !== streamName) {
    throw new InvalidEventError([{ path: arnPath, message: `names stream ${fromArn}, streamName ${streamName}` }]);
  }
  const trigger = TRIGGERS[eventName];
  const creation = trigger === Trigger.CreateStream;
  const actor = detail.userIdentity?.arn;
  return {
    kind: 'Trigger',
    request: {
      eventId: detail.eventID,
      eventTime: detail.eventTime,
      trigger,
      ...(!creation && actor != null && { actor }),
      account,
      region,
      partition,
      streamName,
      streamArn: streamArn(partition, account, region, streamName),
      ...(trigger === Trigger.StartStreamEncryption &&
        parameters.keyId != null && { appliedKeyId: parameters.keyId.slice(0, 2048) }),
      // Tags only from CreateStream; for a tag call the reconciler reads the stream's tags (ListTagsForStream).
      ...(creation && parameters.tags != null && { tags: parameters.tags }),
      // The IaC grace applies to a creation only.
      ...(creation && {
        iacEngine: iacEngineOf(
          { userAgent: detail.userAgent ?? undefined, invokedBy: detail.userIdentity?.invokedBy ?? undefined },
          options.iacUserAgents
        ),
      }),
    },
  };
};
