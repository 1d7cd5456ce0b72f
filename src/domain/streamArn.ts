import { partitionForRegion } from './partitionForRegion';

/** Builds `arn:<partition>:kinesis:<region>:<account>:stream/<name>`. */
export const streamArn = (account: string, region: string, streamName: string): string =>
  `arn:${partitionForRegion(region)}:kinesis:${region}:${account}:stream/${streamName}`;
