import type { CreateStreamRequest } from '../domain/createStreamRequest';
import { InvalidEventError } from '../domain/errors';
import { streamArn } from '../domain/streamArn';
import { createStreamEventSchema } from './createStreamEventSchema';
import { iacEngineOf } from './iacEngineOf';
import { partitionOf, UNKNOWN_REGION } from './partitionOf';

/**
 * Validates an EventBridge CloudTrail CreateStream event and extracts the stream to encrypt.
 * @throws {InvalidEventError} naming every bad field
 */
export const parseCreateStreamEvent = (
  event: unknown,
  options: { iacUserAgents?: readonly string[] } = {}
): CreateStreamRequest => {
  const result = createStreamEventSchema.safeParse(event);
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
  const account = detail.recipientAccountId ?? envelopeAccount;
  const region = detail.awsRegion;
  const streamName = detail.requestParameters.streamName;
  const partition = partitionOf(region)?.name;
  // Unreachable after the schema's check; kept so an unknown region can never default to `aws`.
  if (partition === undefined) throw new InvalidEventError([{ path: 'detail.awsRegion', message: UNKNOWN_REGION }]);
  return {
    eventId: detail.eventID,
    eventTime: detail.eventTime,
    account,
    region,
    partition,
    streamName,
    streamArn: streamArn(partition, account, region, streamName),
    ...(detail.requestParameters.tags != null && { tags: detail.requestParameters.tags }),
    iacEngine: iacEngineOf(
      { userAgent: detail.userAgent ?? undefined, invokedBy: detail.userIdentity?.invokedBy ?? undefined },
      options.iacUserAgents
    ),
  };
};
