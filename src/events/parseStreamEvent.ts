import { InvalidEventError } from '../domain/errors';
import { POLICY_TAG_PREFIX } from '../domain/streamPolicy';
import { type StreamRequest, streamArn, Trigger } from '../domain/streamRequest';
import { iacEngineOf } from './iacEngineOf';
import { withOptionalFieldsUnwrapped } from './optionalFields';
import { partitionOf, UNKNOWN_REGION } from './partitionOf';
import { streamEventSchema } from './streamEventSchema';

const STREAM_ARN = /^arn:([a-z-]+):kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;
const ARN_PATH = 'detail.requestParameters.streamARN';

const TRIGGERS = {
  CreateStream: Trigger.CreateStream,
  StopStreamEncryption: Trigger.StopStreamEncryption,
  StartStreamEncryption: Trigger.StartStreamEncryption,
  AddTagsToStream: Trigger.TagsChanged,
  RemoveTagsFromStream: Trigger.TagsChanged,
} as const;

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

/** The stream an ARN names, when it is in the event's partition, region and account; else the issues. */
const nameFromArn = (arn: string, home: { partition: string; region: string; account: string }): string | Issue[] => {
  const match = STREAM_ARN.exec(arn);
  if (match === null)
    return [{ path: ARN_PATH, message: 'expected arn:<partition>:kinesis:<region>:<account>:stream/<name>' }];
  const [, partition, region, account, name = ''] = match;
  const issues: Issue[] = [];
  if (partition !== home.partition)
    issues.push({ path: ARN_PATH, message: `partition ${partition} is not ${home.partition} of the event` });
  if (region !== home.region)
    issues.push({ path: ARN_PATH, message: `region ${region} is not ${home.region} of the event` });
  if (account !== home.account)
    issues.push({ path: ARN_PATH, message: `account ${account} is not ${home.account} of the event` });
  return issues.length > 0 ? issues : name;
};

/**
 * Validates an EventBridge CloudTrail event of a trigger call (CreateStream, Stop/StartStreamEncryption,
 * Add/RemoveTagsToStream) and extracts the stream, named by `streamName` or `streamARN`. The pipeline's own
 * calls and tag calls without a `kinesis-auto-encrypt:` key are `Ignored`. Optional CloudTrail fields may be absent,
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
  const tagKeys =
    eventName === 'AddTagsToStream'
      ? Object.keys(parameters.tags ?? {})
      : eventName === 'RemoveTagsFromStream'
        ? (parameters.tagKeys ?? [])
        : undefined;
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
  const fromArn =
    parameters.streamARN == null ? undefined : nameFromArn(parameters.streamARN, { partition, region, account });
  if (Array.isArray(fromArn)) throw new InvalidEventError(fromArn);
  const streamName = parameters.streamName ?? fromArn;
  if (streamName === undefined) {
    throw new InvalidEventError([{ path: 'detail.requestParameters', message: 'expected streamName or streamARN' }]);
  }
  if (fromArn !== undefined && fromArn !== streamName) {
    throw new InvalidEventError([{ path: ARN_PATH, message: `names stream ${fromArn}, streamName ${streamName}` }]);
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
