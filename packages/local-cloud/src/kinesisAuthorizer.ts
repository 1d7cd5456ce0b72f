import {
  awsJsonError,
  type GatewayAuthorizer,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
} from './gateway';
import { isRecord } from './isRecord';
import { userIdentityFor } from './localIdentities';
import type { AuthorizationRequest, PolicyEvaluator } from './policyEvaluator';
import { regionPartition } from './regionPartition';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The ARN a Kinesis request acts on: its stream, consumer or tagged resource, else `*` (ListStreams). */
const resourceArnOf = (req: LocalRequest, body: Record<string, unknown>): string => {
  const arn = text(body.StreamARN) ?? text(body.ConsumerARN) ?? text(body.ResourceARN);
  if (arn !== undefined) return arn;
  const name = text(body.StreamName);
  if (name === undefined) return '*';
  return `arn:${regionPartition(req.region)}:kinesis:${req.region}:${req.account}:stream/${name}`;
};

/** The stream of a stream ARN (not of a consumer's). */
const streamArnOf = (arn: string): string | undefined =>
  /^arn:[^:]+:kinesis:[^:]*:\d{12}:stream\/[^/]+$/.test(arn) ? arn : undefined;

/** Tags a request sets: `Tags` of CreateStream, AddTagsToStream and TagResource (a map). */
const requestTagsOf = (body: Record<string, unknown>): Record<string, string> => {
  const tags = body.Tags;
  if (!isRecord(tags)) return {};
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)]));
};

/** Tag keys a request removes: `TagKeys` of RemoveTagsFromStream and UntagResource. */
const removedTagKeysOf = (body: Record<string, unknown>): string[] =>
  Array.isArray(body.TagKeys) ? body.TagKeys.filter((key): key is string => typeof key === 'string') : [];

/** The stream's tags, read with ListTagsForStream through `service` as the caller; none when it cannot be read. */
const streamTagsOf = async (
  req: LocalRequest,
  service: LocalService,
  streamArn: string
): Promise<Record<string, string>> => {
  const tags: Record<string, string> = {};
  let exclusiveStartTagKey: string | undefined;
  for (let page = 0; page < 10; page++) {
    const json = {
      StreamARN: streamArn,
      ...(exclusiveStartTagKey !== undefined && { ExclusiveStartTagKey: exclusiveStartTagKey }),
    };
    const body = Buffer.from(JSON.stringify(json));
    const target = req.target.replace(/\.[^.]+$/, '.ListTagsForStream');
    const response = await service({
      ...req,
      target,
      operation: 'ListTagsForStream',
      body,
      json,
      headers: { ...req.headers, 'x-amz-target': target },
    });
    if (response.status >= 400) return tags;
    const parsed: unknown = Buffer.isBuffer(response.body)
      ? JSON.parse(response.body.toString('utf8'))
      : typeof response.body === 'string'
        ? JSON.parse(response.body)
        : response.body;
    const list = isRecord(parsed) && Array.isArray(parsed.Tags) ? parsed.Tags : [];
    for (const tag of list) {
      if (isRecord(tag) && typeof tag.Key === 'string') tags[tag.Key] = String(tag.Value ?? '');
    }
    const last = list.at(-1);
    if (!(isRecord(parsed) && parsed.HasMoreTags === true && isRecord(last) && typeof last.Key === 'string')) break;
    exclusiveStartTagKey = last.Key;
  }
  return tags;
};

/** Calls that change a stream's tags (or make or end it). */
const TAG_CHANGES = new Set([
  'CreateStream',
  'DeleteStream',
  'AddTagsToStream',
  'RemoveTagsFromStream',
  'TagResource',
  'UntagResource',
]);

/**
 * Streams' tags as last read, by stream ARN. A read that overlapped a change is not kept (a version per stream), so
 * the cache never holds tags older than the last change that passed the gateway.
 */
class StreamTagCache {
  readonly #tags = new Map<string, Record<string, string>>();
  readonly #versions = new Map<string, number>();

  public async read(arn: string, load: () => Promise<Record<string, string>>): Promise<Record<string, string>> {
    const known = this.#tags.get(arn);
    if (known !== undefined) return known;
    const version = this.#versions.get(arn) ?? 0;
    const loaded = await load();
    if ((this.#versions.get(arn) ?? 0) === version) this.#tags.set(arn, loaded);
    return loaded;
  }

  public forget(arn: string): void {
    this.#tags.delete(arn);
    this.#versions.set(arn, (this.#versions.get(arn) ?? 0) + 1);
  }
}

/**
 * Kinesis' refusal of a call IAM denied: `AccessDeniedException`, HTTP 400 (Kinesis API Reference, Common Errors,
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/CommonErrors.html), with IAM's message
 * `User: <arn> is not authorized to perform: <action> on resource: <arn> with an explicit deny in a service control
 * policy` (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */
export const kinesisAccessDenied = (
  callerArn: string,
  request: AuthorizationRequest,
  explicit: boolean
): LocalResponse =>
  awsJsonError(
    'AccessDeniedException',
    `User: ${callerArn} is not authorized to perform: ${request.action} on resource: ${request.resourceArn} ` +
      (explicit
        ? 'with an explicit deny in a service control policy'
        : 'because no service control policy allows the action')
  );

/**
 * A gateway authorizer for Kinesis: every call is decided by `evaluate` from the caller's principal ARN (a role
 * session's role, else the IAM user), the action `kinesis:<Operation>`, the resource ARN, the stream's tags (read
 * with ListTagsForStream through the service) and the tags the request sets or removes. A denied call gets
 * {@link kinesisAccessDenied}; an evaluation that fails gets `InternalFailure` (500) naming why.
 */
export const kinesisAuthorizer = (evaluate: PolicyEvaluator): GatewayAuthorizer => {
  const tags = new StreamTagCache();
  return async (req, service) => {
    const body = isRecord(req.json) ? req.json : {};
    const identity = userIdentityFor(req.account, req.accessKeyId, new Date(), req.region);
    const principalArn = identity.type === 'AssumedRole' ? identity.sessionContext.sessionIssuer.arn : identity.arn;
    const resourceArn = resourceArnOf(req, body);
    const streamArn = streamArnOf(resourceArn);
    const request: AuthorizationRequest = {
      principalArn,
      account: req.account,
      action: `kinesis:${req.operation}`,
      resourceArn,
      resourceTags:
        streamArn === undefined || req.operation === 'CreateStream'
          ? {}
          : await tags.read(streamArn, () => streamTagsOf(req, service, streamArn)),
      requestTags: requestTagsOf(body),
      removedTagKeys: removedTagKeysOf(body),
    };
    let decision: Awaited<ReturnType<PolicyEvaluator>>;
    try {
      decision = await evaluate(request);
    } catch (error) {
      return awsJsonError('InternalFailure', `Local policy evaluation failed: ${String(error)}`, 500);
    }
    if (decision !== 'Allowed') return kinesisAccessDenied(identity.arn, request, decision === 'ExplicitlyDenied');
    if (streamArn === undefined || !TAG_CHANGES.has(req.operation)) return undefined;
    // Every change of a stream's tags passes here: read them again once it is done (a read overlapping it is dropped).
    tags.forget(streamArn);
    try {
      return await service(req);
    } finally {
      tags.forget(streamArn);
    }
  };
};
