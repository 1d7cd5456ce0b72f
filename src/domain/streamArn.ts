/** Builds `arn:<partition>:kinesis:<region>:<account>:stream/<name>`. */
export const streamArn = (partition: string, account: string, region: string, streamName: string): string =>
  `arn:${partition}:kinesis:${region}:${account}:stream/${streamName}`;
