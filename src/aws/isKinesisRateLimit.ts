/**
 * Kinesis answers its control-plane rate limit with `LimitExceededException` too, worded
 * "Rate exceeded for stream <name> under account <id>." (seen in awslabs/amazon-kinesis-scaling-utils#52,
 * awslabs/amazon-kinesis-producer#257; the AWS SDK for Ruby treats it as throttling, aws-sdk-ruby#1318).
 * Only that wording is a throttle; any other LimitExceededException of StartStreamEncryption is the
 * 25-new-keys-per-24-h budget (or too many concurrent updates) and must not be retried blindly.
 */
export const isKinesisRateLimit = (error: unknown): boolean =>
  error instanceof Error && error.name === 'LimitExceededException' && /rate exceeded/i.test(error.message);
