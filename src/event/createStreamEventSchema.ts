import { z } from 'zod';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * CloudTrail record of a Kinesis call as EventBridge delivers it in `detail`. Accepts every
 * eventVersion 1.0x and unknown extra fields; only what the pipeline uses is typed.
 */
export const cloudTrailDetailSchema = z.looseObject({
  eventVersion: z.string().regex(/^1\.\d{2}$/, 'expected a CloudTrail eventVersion 1.0x'),
  eventID: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a CloudTrail event id (GUID)'),
  eventTime: z.iso.datetime({ offset: true }),
  eventSource: z.literal('kinesis.amazonaws.com'),
  eventName: z.literal('CreateStream'),
  awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region'),
  recipientAccountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id').optional(),
  errorCode: z.undefined({ error: 'the CreateStream call failed (errorCode present): nothing to encrypt' }).optional(),
  requestParameters: z.looseObject({
    streamName: z.string().regex(STREAM_NAME, 'expected 1-128 characters of [a-zA-Z0-9_.-]'),
  }),
  responseElements: z.unknown().nullable().optional(),
});

/** EventBridge envelope of `AWS API Call via CloudTrail` for a successful CreateStream. */
export const createStreamEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().optional(),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.literal('aws.kinesis'),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: z.string().optional(),
  region: z.string().optional(),
  detail: cloudTrailDetailSchema,
});

export type CreateStreamEvent = z.infer<typeof createStreamEventSchema>;
