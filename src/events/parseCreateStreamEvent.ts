import type { CreateStreamRequest } from '../domain/createStreamRequest';
import { InvalidEventError } from '../domain/errors';
import { partitionForRegion } from '../domain/partitionForRegion';
import { streamArn } from '../domain/streamArn';
import { createStreamEventSchema } from './createStreamEventSchema';

/**
 * Validates an EventBridge CloudTrail CreateStream event and extracts the stream to encrypt.
 * @throws {InvalidEventError} naming every bad field
 */
export const parseCreateStreamEvent = (event: unknown): CreateStreamRequest => {
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
  return {
    eventId: detail.eventID,
    eventTime: detail.eventTime,
    account,
    region,
    partition: partitionForRegion(region),
    streamName,
    streamArn: streamArn(account, region, streamName),
  };
};
