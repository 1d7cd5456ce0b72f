/**
 * What made the pipeline look at a stream: a CloudTrail call (both tag calls grouped as `TagsChanged`), or a
 * sweep of every existing stream (the deployed sweep and the `kinesis-auto-encrypt` CLI).
 */
export const Trigger = {
  CreateStream: 'CreateStream',
  StopStreamEncryption: 'StopStreamEncryption',
  StartStreamEncryption: 'StartStreamEncryption',
  TagsChanged: 'TagsChanged',
  Sweep: 'Sweep',
} as const;

export type Trigger = (typeof Trigger)[keyof typeof Trigger];

/** What the pipeline needs from a successful trigger event (CloudTrail call on a stream). */
export interface StreamRequest {
  eventId: string;
  /** CloudTrail eventTime (ISO-8601). */
  eventTime: string;
  trigger: Trigger;
  /** `userIdentity.arn` of the caller; drift triggers only (never access keys or IPs). */
  actor?: string;
  account: string;
  region: string;
  partition: string;
  streamName: string;
  streamArn: string;
  /**
   * Infrastructure-as-code engine that made a CreateStream call (e.g. `Terraform`, `CloudFormation`),
   * recognised from the CloudTrail record: such engines apply their own encryption right after ACTIVE.
   */
  iacEngine?: string;
  /** StartStreamEncryption triggers: the KeyId the caller applied (one of the stream's 25 per 24 h). */
  appliedKeyId?: string;
  /** Tags the caller gave CreateStream (`requestParameters.tags`), when it gave any. */
  tags?: Readonly<Record<string, string>>;
}

/** Builds `arn:<partition>:kinesis:<region>:<account>:stream/<name>`. */
export const streamArn = (partition: string, account: string, region: string, streamName: string): string =>
  `arn:${partition}:kinesis:${region}:${account}:stream/${streamName}`;
