/** What the pipeline needs from a successful CreateStream event. */
export interface CreateStreamRequest {
  eventId: string;
  /** CloudTrail eventTime (ISO-8601). */
  eventTime: string;
  account: string;
  region: string;
  partition: string;
  streamName: string;
  streamArn: string;
  /**
   * Infrastructure-as-code engine that made the call (e.g. `Terraform`, `CloudFormation`), recognised
   * from the CloudTrail record: such engines apply their own encryption right after ACTIVE.
   */
  iacEngine?: string;
  /** Tags the caller gave CreateStream (`requestParameters.tags`), when it gave any. */
  tags?: Readonly<Record<string, string>>;
}
