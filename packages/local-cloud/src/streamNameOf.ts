/** What follows `:stream/` in a stream ARN; undefined for any other ARN (a stream consumer's included). */
const nameInStreamArn = (arn: string): string | undefined => {
  const name = arn.split(':stream/')[1];
  return name === undefined || name === '' || name.includes('/') ? undefined : name;
};

/**
 * The stream a CloudTrail record's `requestParameters` names: `streamName`, else the stream of `streamARN`, else
 * of `resourceARN` (TagResource / UntagResource, which also take a consumer's ARN: that names no stream).
 */
export const streamNameOf = (parameters: unknown): string | undefined => {
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const { streamName, streamARN, resourceARN } = parameters as {
    streamName?: unknown;
    streamARN?: unknown;
    resourceARN?: unknown;
  };
  if (typeof streamName === 'string') return streamName;
  if (typeof streamARN === 'string') return streamARN.split(':stream/')[1];
  if (typeof resourceARN === 'string') return nameInStreamArn(resourceARN);
  return undefined;
};

/** Where a stream ARN points, `arn:<partition>:kinesis:<region>:<account>:stream/<name>[/consumer/<consumer>]`. */
export interface StreamOfArn {
  account: string;
  region: string;
  name: string;
  /** The ARN names a consumer of the stream, not the stream. */
  consumer: boolean;
}

/** The stream (account, region, name) of a stream or stream-consumer ARN; undefined for anything else. */
export const streamOfArn = (arn: unknown): StreamOfArn | undefined => {
  if (typeof arn !== 'string') return undefined;
  const match = /^arn:[^:]+:kinesis:([^:]+):(\d{12}):stream\/([^/]+)(\/consumer\/.+)?$/.exec(arn);
  if (match === null) return undefined;
  const [, region, account, name, consumer] = match as unknown as [string, string, string, string, string?];
  return { account, region, name, consumer: consumer !== undefined };
};

/**
 * The stream a Kinesis API request names: its `StreamARN`, `ResourceARN` or `ConsumerARN` (a consumer's ARN:
 * `consumer` true), else its `StreamName` in the caller's account and region.
 */
export const streamOfRequest = (req: { json: unknown; account: string; region: string }): StreamOfArn | undefined => {
  if (typeof req.json !== 'object' || req.json === null) return undefined;
  const { StreamARN, ResourceARN, ConsumerARN, StreamName } = req.json as Record<string, unknown>;
  return (
    streamOfArn(StreamARN) ??
    streamOfArn(ResourceARN) ??
    streamOfArn(ConsumerARN) ??
    (typeof StreamName === 'string'
      ? { account: req.account, region: req.region, name: StreamName, consumer: false }
      : undefined)
  );
};
